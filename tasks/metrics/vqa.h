#pragma once
// VQA accuracy as the official evaluators compute it: VQAv2 and OK-VQA
// (vqaEval.py), TextVQA (EvalAI answer processor), VizWiz (its vqaEval.py).
// Specs: ../shared/refdata/metrics/vqa_spec.md and others_spec.md.
#include <string>
#include <string_view>
#include <vector>

#include "tasks/metrics/metric.h"

namespace mmh::metrics {

enum class VqaTask { kVqaV2, kOkVqa, kTextVqa, kVizWiz };

struct VqaSample {
  std::string question_id;
  std::vector<std::string> answers;  // the ten human answers, in annotation order (OK-VQA v1.1: the stemmed `answer`)
  std::string answer_type;           // "yes/no", "number", "other", VizWiz also "unanswerable"; may be empty
  std::string question_type;         // VQAv2 / OK-VQA question_type; empty elsewhere
};

struct VqaOptions {
  // OK-VQA: also stem the prediction, as Flamingo-style evaluations do (not official; off by default).
  bool okvqa_stem_prediction = false;
};

// Score "accuracy" on the official 0..100 scale; breakdown "perAnswerType/<t>"
// and, for VQAv2 / OK-VQA, "perQuestionType/<t>".
MetricResult vqa_accuracy(VqaTask task, std::span<const VqaSample> samples, std::span<const std::string> predictions,
                          const VqaOptions& options = {});

}  // namespace mmh::metrics
