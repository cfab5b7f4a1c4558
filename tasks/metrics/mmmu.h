#pragma once
// MMMU as the official MMMU-Benchmark/MMMU eval_utils.py scores it, including
// its random fallback for unparsable multiple-choice answers (Python's
// random.seed(42) + random.choice, reproduced bit for bit).
// Spec: ../shared/refdata/metrics/others_spec.md section 5.
#include <string>
#include <vector>

#include "tasks/metrics/metric.h"

namespace mmh::metrics {

struct MmmuSample {
  std::string id;                    // "validation_Art_Theory_12": the subject comes from the id
  std::string question_type;         // "multiple-choice", or anything else for open questions
  std::vector<std::string> options;  // option texts in order (A, B, ...), multiple-choice only
  std::vector<std::string> answers;  // gold: usually one (a letter, or the open answer); a list gold has several
};

enum class MmmuInput {
  kResponses,    // raw model responses, parsed as main_parse_and_eval.py does
  kPredictions,  // main_eval_only.py: multiple-choice predictions are letters used as given
};

// Score "accuracy" (0..1, instance-weighted over subjects); breakdown
// "subject/<name>" and "domain/<name>"; notes {"random_fallbacks": k}.
// Samples are parsed in the given order with one generator seeded 42, as the official script does in one process.
MetricResult mmmu_accuracy(std::span<const MmmuSample> samples, std::span<const std::string> responses,
                           MmmuInput input = MmmuInput::kResponses);

}  // namespace mmh::metrics
