#pragma once
// GQA accuracy as the official eval.py computes it (exact string match).
// Spec: ../shared/refdata/metrics/others_spec.md section 4.
#include <string>
#include <vector>

#include "tasks/metrics/metric.h"

namespace mmh::metrics {

enum class GqaMatch {
  kExact,                // official: prediction == answer, no normalization
  kLowerTrailingPeriod,  // widely used variant: lower-case and strip a trailing period first
};

struct GqaSample {
  std::string question_id;
  std::string answer;      // ground truth
  std::string structural;  // types.structural: verify, query, choose, logical, compare
  std::string semantic;    // types.semantic: attr, cat, global, obj, rel
};

// Score "accuracy" as a fraction (0..1, as eval.py computes before printing %);
// breakdown "open"/"binary" and "structural/<t>", "semantic/<t>".
MetricResult gqa_accuracy(std::span<const GqaSample> samples, std::span<const std::string> predictions,
                          GqaMatch match = GqaMatch::kExact);

}  // namespace mmh::metrics
