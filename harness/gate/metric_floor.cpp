#include "harness/gate/metric_floor.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "common/error.h"
#include "tasks/catalog.h"

namespace mmh::gate {
namespace {

[[noreturn]] void malformed(const std::string& text, const std::string& why) {
  throw Error("--metric-floor",
              "'" + text + "': " + why + " (expected TASK=POINTS or TASK:SHOTS=POINTS, e.g. coco=80)");
}

// The whole of `s` as a number, or nothing ("80x", "", "nan" are not numbers of points).
std::optional<double> parse_number(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s.front()))) return std::nullopt;
  try {
    std::size_t used = 0;
    const double value = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(value)) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<int> parse_shots(const std::string& s) {
  if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(s);
}

}  // namespace

MetricFloor parse_metric_floor(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos) malformed(text, "no '='");
  const std::string target = text.substr(0, equals), value = text.substr(equals + 1);
  MetricFloor floor;
  const auto colon = target.find(':');
  floor.task = target.substr(0, colon);
  if (floor.task.empty()) malformed(text, "no task");
  if (!tasks::find_task(floor.task))
    malformed(text, "unknown task '" + floor.task + "' (known: " + tasks::known_task_ids() + ")");
  if (colon != std::string::npos) {
    floor.shots = parse_shots(target.substr(colon + 1));
    if (!floor.shots) malformed(text, "shots must be a whole number >= 0");
  }
  const auto points = parse_number(value);
  if (!points || *points < 0) malformed(text, "the floor must be a number of points >= 0");
  floor.points = *points;
  return floor;
}

std::string to_string(const MetricFloor& floor) {
  char points[64];
  std::snprintf(points, sizeof points, "%.10g", floor.points);
  std::string out = floor.task;
  if (floor.shots) out.append(":").append(std::to_string(*floor.shots));
  return out.append("=").append(points);
}

const MetricFloor* applicable_floor(std::span<const MetricFloor> floors, const compare::EvaluationKey& key) {
  const MetricFloor* general = nullptr;
  for (const auto& floor : floors) {
    if (floor.task != key.task) continue;
    if (floor.shots == key.shots) return &floor;
    if (!floor.shots) general = &floor;
  }
  return general;
}

}  // namespace mmh::gate
