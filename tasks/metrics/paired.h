#pragma once
// Paired comparison of two runs on the samples they share: the difference of
// the means of per-sample scores (candidate - baseline) with a seeded
// percentile-bootstrap interval. Resampling the per-sample differences keeps
// the pairing (both runs see the same resampled samples), which removes the
// between-sample variance a comparison of two independent intervals keeps.
#include <span>

#include "tasks/metrics/bootstrap.h"

namespace mmh::metrics {

struct PairedDifference {
  std::size_t n = 0;
  double baseline = 0, candidate = 0;  // means over the shared samples
  double difference = 0;               // candidate - baseline
  Interval interval;                   // at options.level
  // The interval excludes 0: significant at 1 - level (two-sided, by inverting the interval).
  bool significant() const { return n > 0 && (interval.low > 0 || interval.high < 0); }
};

// baseline[i] and candidate[i] are the same sample's scores. Means are summed
// left to right; the bootstrap is bootstrap_interval's (multinomial over the
// distinct differences when few, so 214k VQAv2 samples take milliseconds).
// Sizes that differ are an mmh::Error.
PairedDifference paired_difference(std::span<const double> baseline, std::span<const double> candidate,
                                   const BootstrapOptions& options = {});

}  // namespace mmh::metrics
