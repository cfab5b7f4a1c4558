// Paired bootstrap of a difference of means: known inputs, seeding, pairing.
#include <catch2/catch.hpp>

#include <random>

#include "common/error.h"
#include "tasks/metrics/paired.h"

using mmh::metrics::paired_difference;

TEST_CASE("paired difference: identical runs differ by exactly 0, not significant", "[metrics][paired]") {
  const std::vector<double> a = {1, 0, 1, 1, 0, 0.5};
  const auto d = paired_difference(a, a, {1000, 7, 0.95});
  CHECK(d.n == 6);
  CHECK(d.difference == 0.0);
  CHECK(d.interval.low == 0.0);
  CHECK(d.interval.high == 0.0);
  CHECK_FALSE(d.significant());
}

TEST_CASE("paired difference: a constant shift is recovered with a zero-width interval", "[metrics][paired]") {
  std::vector<double> base, cand;
  for (int i = 0; i < 200; ++i) {
    base.push_back(i % 7);
    cand.push_back(i % 7 + 2.5);
  }
  const auto d = paired_difference(base, cand, {500, 1, 0.95});
  CHECK(d.difference == Approx(2.5));
  CHECK(d.interval.low == Approx(2.5));
  CHECK(d.interval.high == Approx(2.5));
  CHECK(d.significant());
  CHECK(d.candidate - d.baseline == Approx(2.5));
}

TEST_CASE("paired difference: pairing removes between-sample variance", "[metrics][paired]") {
  // Samples vary a lot (0 or 100), the candidate is better on 30 of 1000 and worse on 10.
  std::vector<double> base(1000), cand(1000);
  for (int i = 0; i < 1000; ++i) base[i] = cand[i] = (i * 37 % 100) < 50 ? 100 : 0;
  int better = 0, worse = 0;
  for (int i = 0; i < 1000 && (better < 30 || worse < 10); ++i) {
    if (base[i] == 0 && better < 30) cand[i] = 100, ++better;
    else if (base[i] == 100 && worse < 10) cand[i] = 0, ++worse;
  }
  const auto d = paired_difference(base, cand, {2000, 3, 0.95});
  CHECK(d.difference == Approx(2.0));  // (30 - 10) x 100 / 1000
  CHECK(d.significant());
  // Unpaired, the two 95% intervals of means over 0/100 scores (sd ~50, se ~1.6) would overlap.
  CHECK(d.interval.low > 0.5);
  CHECK(d.interval.high < 3.5);
}

TEST_CASE("paired difference: seeded, and sizes must match", "[metrics][paired]") {
  std::mt19937 rng(5);
  std::vector<double> base(300), cand(300);
  for (auto& v : base) v = std::uniform_real_distribution<double>(0, 1)(rng);
  for (auto& v : cand) v = std::uniform_real_distribution<double>(0, 1)(rng);
  const auto a = paired_difference(base, cand, {400, 11, 0.95});
  const auto b = paired_difference(base, cand, {400, 11, 0.95});
  const auto c = paired_difference(base, cand, {400, 12, 0.95});
  CHECK(a.interval.low == b.interval.low);
  CHECK(a.interval.high == b.interval.high);
  CHECK(a.interval.low != c.interval.low);
  CHECK(a.interval.low < a.difference);
  CHECK(a.difference < a.interval.high);
  CHECK_THROWS_AS(paired_difference(base, std::vector<double>(3), {}), mmh::Error);
  CHECK(paired_difference({}, {}, {}).n == 0);
}
