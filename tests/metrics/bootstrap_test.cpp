#include <catch2/catch.hpp>
#include <numeric>

#include "tasks/metrics/bootstrap.h"

using namespace mmh::metrics;

namespace {

MetricScore mean_score(std::vector<double> values) {
  MetricScore s;
  s.name = "accuracy";
  s.per_sample = values;
  s.corpus = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  s.corpus_over = mean_over(std::move(values));
  return s;
}

}  // namespace

TEST_CASE("bootstrap: seeded, reproducible, and brackets the corpus value", "[metrics][bootstrap]") {
  std::vector<double> values;
  for (int i = 0; i < 500; ++i) values.push_back(i % 3 == 0 ? 1.0 : 0.0);  // mean 0.334
  const auto score = mean_score(values);
  const auto a = bootstrap_interval(score, {1000, 7, 0.95});
  const auto b = bootstrap_interval(score, {1000, 7, 0.95});
  CHECK(a.low == b.low);
  CHECK(a.high == b.high);
  CHECK(a.low < score.corpus);
  CHECK(score.corpus < a.high);
  // Binomial standard error sqrt(p(1-p)/n) = 0.0211: the 95% interval is about +-1.96 of it.
  CHECK(a.high - a.low == Approx(2 * 1.96 * 0.0211).epsilon(0.15));
  const auto other_seed = bootstrap_interval(score, {1000, 8, 0.95});
  CHECK((other_seed.low != a.low || other_seed.high != a.high));
}

TEST_CASE("bootstrap: degenerate inputs", "[metrics][bootstrap]") {
  const auto constant = mean_score(std::vector<double>(50, 0.75));
  const auto ci = bootstrap_interval(constant);
  CHECK(ci.low == 0.75);
  CHECK(ci.high == 0.75);
  MetricScore empty;
  const auto none = bootstrap_interval(empty);
  CHECK(none.low == 0);
  CHECK(none.high == 0);
}

TEST_CASE("python_round matches CPython round()", "[metrics]") {
  CHECK(python_round(2.675, 2) == 2.67);  // 2.675 is 2.67499999... in binary
  CHECK(python_round(0.125, 2) == 0.12);  // exact tie: to even
  CHECK(python_round(0.375, 2) == 0.38);
  CHECK(python_round(96.49999999, 2) == 96.5);
  CHECK(python_round(-1.005, 2) == -1.0);
  CHECK(python_round(1.0 / 3.0, 3) == 0.333);
}

TEST_CASE("SplitMix64 gives the published reference stream", "[metrics][bootstrap]") {
  // First outputs for seed 1234567 from the reference implementation (Vigna, splitmix64.c).
  SplitMix64 rng(1234567);
  CHECK(rng.next() == 6457827717110365317ull);
  CHECK(rng.next() == 3203168211198807973ull);
  CHECK(rng.next() == 9817491932198370423ull);
}
