#pragma once
// Seeded percentile bootstrap over samples: a 95% interval for any corpus
// metric, recomputed through the metric's own CorpusFn (so BLEU's corpus
// counts and VQA's rounding are honoured, not just a mean of per-sample values).
#include <cstdint>
#include <span>
#include <vector>

#include "tasks/metrics/metric.h"

namespace mmh::metrics {

struct Interval {
  double low = 0;
  double high = 0;
};

struct BootstrapOptions {
  int replicates = 1000;
  std::uint64_t seed = 0;
  double level = 0.95;
};

// Resamples the n samples with replacement `replicates` times and returns the
// (1-level)/2 and (1+level)/2 quantiles of the recomputed corpus value,
// interpolated linearly as numpy.percentile does. n == 0 gives {0, 0}.
//
// Replicate r draws from a SplitMix64 stream seeded from (seed, r), so the
// result does not depend on the thread count. Two ways to draw, same law:
// - a mean metric (score.mean) whose terms take at most kMaxMeanLevels
//   distinct values (VQA, GQA, MMMU accuracies): a resample is fully described
//   by how often each distinct value is drawn, a multinomial, drawn as
//   conditional binomials; the cost no longer grows with n;
// - otherwise n indices per replicate through corpus_over (large sets use all
//   cores; corpus_over must therefore be safe to call concurrently).
Interval bootstrap_interval(const MetricScore& score, const BootstrapOptions& options = {});

// The intervals of several scores over the same samples (one MetricResult):
// the scores resampled through indices share each replicate's indices, so n
// indices are drawn once per replicate, not once per score, and every score
// sees the same resamples (replicate r draws the same indices as it would for
// bootstrap_interval alone).
std::vector<Interval> bootstrap_intervals(std::span<const MetricScore> scores, const BootstrapOptions& options = {});

inline constexpr std::size_t kMaxMeanLevels = 64;

// Uniform integers in [0, n) from a 64-bit seed, the same on every platform.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::size_t below(std::size_t n);  // Lemire's multiply-shift; bias < n / 2^64
  double uniform();                  // [0, 1) in steps of 2^-53

 private:
  std::uint64_t state_;
};

// A Binomial(trials, p) draw by inversion, searching outward from the mode
// (about 1.6 standard deviations of steps). Exact up to floating-point
// rounding of the probabilities (relative 1e-12 for a million trials).
std::uint64_t binomial(SplitMix64& rng, std::uint64_t trials, double p);

}  // namespace mmh::metrics
