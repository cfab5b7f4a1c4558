#include <catch2/catch.hpp>
#include <cmath>
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

TEST_CASE("binomial draws have the binomial mean and variance", "[metrics][bootstrap]") {
  struct Case {
    std::uint64_t trials;
    double p;
  };
  for (const Case c : {Case{20, 0.5}, Case{1000, 0.03}, Case{200000, 0.37}, Case{5000000, 0.999}}) {
    SplitMix64 rng(42);
    constexpr int kDraws = 20000;
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < kDraws; ++i) {
      const auto x = static_cast<double>(binomial(rng, c.trials, c.p));
      REQUIRE(x <= static_cast<double>(c.trials));
      sum += x;
      sum_sq += x * x;
    }
    const double n = static_cast<double>(c.trials), mean = sum / kDraws, variance = sum_sq / kDraws - mean * mean;
    const double expected_variance = n * c.p * (1 - c.p);
    INFO("trials " << c.trials << " p " << c.p);
    // Five standard errors of the sample mean; the sample variance within 5%.
    CHECK(std::abs(mean - n * c.p) < 5 * std::sqrt(expected_variance / kDraws));
    CHECK(variance == Approx(expected_variance).epsilon(0.05));
  }
  SplitMix64 rng(1);
  CHECK(binomial(rng, 0, 0.5) == 0);
  CHECK(binomial(rng, 10, 0.0) == 0);
  CHECK(binomial(rng, 10, 1.0) == 10);
  CHECK(binomial(rng, 1, 1e-300) == 0);
}

TEST_CASE("bootstrap: counting distinct values gives the interval that drawing indices gives",
          "[metrics][bootstrap]") {
  // VQA-like terms: five accuracy levels. mean_score() resamples indices; set_mean_corpus() enables counting.
  std::vector<double> terms;
  for (int i = 0; i < 4000; ++i) terms.push_back(std::vector<double>{0, 0.3, 0.6, 0.9, 1}[(i * 7 + i / 3) % 5]);
  const MetricScore by_index = mean_score(terms);
  MetricScore by_count = by_index;
  set_mean_corpus(by_count, terms);
  REQUIRE(by_count.mean);
  const auto a = bootstrap_interval(by_index, {2000, 3, 0.95});
  const auto b = bootstrap_interval(by_count, {2000, 3, 0.95});
  // The standard error of the mean is 0.0061: the two Monte Carlo estimates of its quantiles agree to a fraction.
  CHECK(a.low == Approx(b.low).margin(0.002));
  CHECK(a.high == Approx(b.high).margin(0.002));
  CHECK(b.low < by_count.corpus);
  CHECK(b.high > by_count.corpus);
  CHECK(bootstrap_interval(by_count, {2000, 3, 0.95}).low == b.low);  // seeded
  // Scale and rounding apply to every replicate, as to the corpus value: the same draws, on the percent scale.
  MetricScore percent = by_index;
  set_mean_corpus(percent, terms, 100.0, [](double x) { return python_round(x, 2); });
  const auto p = bootstrap_interval(percent, {2000, 3, 0.95});
  CHECK(p.low == Approx(100 * b.low).margin(0.01));
  CHECK(p.high == Approx(100 * b.high).margin(0.01));
}

TEST_CASE("bootstrap: the scores of one result share their resamples", "[metrics][bootstrap]") {
  std::vector<double> continuous;
  for (int i = 0; i < 500; ++i) continuous.push_back(std::sin(i * 0.37) + 1.5);  // 500 distinct values: indices
  const std::vector<MetricScore> scores = {mean_score(continuous), mean_score(std::vector<double>(500, 2.0))};
  const BootstrapOptions options{300, 11, 0.9};
  const auto together = bootstrap_intervals(scores, options);
  REQUIRE(together.size() == 2);
  const auto alone = bootstrap_interval(scores[0], options);
  CHECK(together[0].low == alone.low);  // replicate r draws the same indices either way
  CHECK(together[0].high == alone.high);
  CHECK(together[1].low == 2.0);
  CHECK(bootstrap_intervals(scores, {0, 11, 0.9})[0].high == 0);
}
