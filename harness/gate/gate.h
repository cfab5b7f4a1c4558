#pragma once
// The CI gate: a candidate run against a baseline run, one verdict per
// compared (task, shots, trial). A drop fails only when it is both larger
// than the allowed drop and significant under the paired bootstrap, so noise
// on a small subset does not fail a build and a tiny real drop does not
// either. Floors hold the candidate's corpus value to an absolute minimum.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/compare/compare.h"
#include "harness/gate/metric_floor.h"

namespace mmh::gate {

struct GateOptions {
  double max_drop = 1.0;  // points
  double alpha = 0.05;    // the interval's level is 1 - alpha
  int bootstrap = 1000;   // replicates
  std::uint64_t seed = 0;
  std::vector<MetricFloor> floors;
  metrics::BootstrapOptions bootstrap_options() const { return {bootstrap, seed, 1.0 - alpha}; }
};
// Out-of-range values and two floors for the same target are an mmh::Error naming the option.
void check_options(const GateOptions& options);

enum class Verdict { kOk, kImproved, kRegression, kBelowFloor, kNotComparable };
const char* to_string(Verdict verdict);  // "ok", "improved", "regression", "below floor", "not comparable"
bool is_failure(Verdict verdict);

struct GateRow {
  std::string task;         // empty for the row that says the runs share no evaluations
  std::string shots_label;  // "4", "4 (trial 1)" when the task has several trials, "-" for none
  std::string name;         // "coco 4-shot", "coco 4-shot trial 1", "coco" (a floor on every shot count)
  compare::EvaluationKey key;
  std::string metric;
  std::optional<double> baseline, candidate;            // each run's stored corpus value, in points
  std::optional<metrics::PairedDifference> difference;  // none without a baseline evaluation
  std::optional<double> floor;                          // the floor that applies, in points
  Verdict verdict = Verdict::kOk;
  std::vector<std::string> reasons;  // why it failed, with the numbers; empty when it did not
};

struct RunRef {
  std::string db;
  std::int64_t id = 0;
};

struct GateInput {
  RunRef baseline, candidate;
  std::vector<compare::Comparison> comparisons;
  std::vector<compare::EvaluationKey> unmatched;  // evaluations in one run only
  std::vector<compare::Headline> candidate_headlines;
};

struct GateReport {
  RunRef baseline, candidate;
  GateOptions options;
  std::vector<GateRow> rows;
  std::vector<std::string> notes;  // evaluations in one run only: shown, not failed
  std::size_t count(Verdict verdict) const;
  std::size_t failures() const;
  bool failed() const { return failures() > 0; }
};

GateInput load_gate_input(store::ResultsStore& baseline_db, std::int64_t baseline_run,
                          store::ResultsStore& candidate_db, std::int64_t candidate_run, const GateOptions& options);
// The verdicts, from the comparisons alone (no database).
GateReport evaluate_gate(const GateInput& input, const GateOptions& options);

}  // namespace mmh::gate
