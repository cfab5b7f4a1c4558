#pragma once
// Scores model predictions for task samples with the task's official-parity
// metric, and keeps a sample's ground truth as JSON so that stored results can
// be scored again (after a merge of shards, or a changed metric) without the
// data root.
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "tasks/catalog.h"
#include "tasks/metrics/metric.h"
#include "tasks/task_data.h"

namespace mmh::tasks {

// The metric of `task` over samples and their predictions (same order). The
// order matters to the last digit (sums run left to right; MMMU's random
// fallback draws in order): callers pass the evaluation's file order.
metrics::MetricResult score_predictions(const TaskInfo& task, std::span<const TaskSample> samples,
                                        std::span<const std::string> predictions);

// {"references": [...], "options": [...], "meta": {...}}: what scoring reads.
nlohmann::json ground_truth_json(const TaskSample& sample);
// The inverse, for scoring stored samples; malformed JSON is an mmh::Error naming `where`.
TaskSample sample_from_ground_truth(const std::string& key, const nlohmann::json& truth, const std::string& where);

}  // namespace mmh::tasks
