#pragma once
// Seeded percentile bootstrap over samples: a 95% interval for any corpus
// metric, recomputed through the metric's own CorpusFn (so BLEU's corpus
// counts and VQA's rounding are honoured, not just a mean of per-sample values).
#include <cstdint>

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

// Resamples the n samples with replacement `replicates` times (replicate r
// draws its indices from a SplitMix64 stream seeded from (seed, r): identical
// on every platform, standard library and thread count; large sets use all
// cores; corpus_over must therefore be safe to call concurrently) and
// returns the (1-level)/2 and (1+level)/2 quantiles of the recomputed corpus
// value, interpolated linearly as numpy.percentile does. n == 0 gives {0, 0}.
Interval bootstrap_interval(const MetricScore& score, const BootstrapOptions& options = {});

// Uniform integers in [0, n) from a 64-bit seed, the same on every platform.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::size_t below(std::size_t n);  // Lemire's multiply-shift; bias < n / 2^64

 private:
  std::uint64_t state_;
};

}  // namespace mmh::metrics
