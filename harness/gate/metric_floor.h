#pragma once
// --metric-floor: an absolute minimum for the candidate's headline value, in
// points, on one task (every shot count) or one task at one shot count.
#include <optional>
#include <span>
#include <string>

#include "harness/compare/compare.h"

namespace mmh::gate {

struct MetricFloor {
  std::string task;
  std::optional<int> shots;  // none: every shot count of the task
  double points = 0;
};

// "coco=80" or "coco:4=80.5". A malformed floor or an unknown task is an
// mmh::Error naming --metric-floor and the text.
MetricFloor parse_metric_floor(const std::string& text);
std::string to_string(const MetricFloor& floor);  // "coco:4=80"

// The floor that applies to an evaluation: TASK:SHOTS before TASK, none when neither is given.
const MetricFloor* applicable_floor(std::span<const MetricFloor> floors, const compare::EvaluationKey& key);

}  // namespace mmh::gate
