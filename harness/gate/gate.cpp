#include "harness/gate/gate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "common/error.h"
#include "harness/gate/gate_format.h"

namespace mmh::gate {
namespace {

// Higher is worse; a row keeps its worst verdict.
int severity(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return 0;
    case Verdict::kImproved:
      return 1;
    case Verdict::kBelowFloor:
      return 2;
    case Verdict::kRegression:
      return 3;
    case Verdict::kNotComparable:
      return 4;
  }
  return 4;
}

void raise(GateRow& row, Verdict v) {
  if (severity(v) > severity(row.verdict)) row.verdict = v;
}

std::string run_name(const char* side, const RunRef& run) {
  return std::string(side) + " run " + std::to_string(run.id) + " (" + run.db + ")";
}

std::string shots_name(const std::string& task, int shots) { return task + " " + std::to_string(shots) + "-shot"; }

// Only a drop both larger than --max-drop and significant (the whole interval below 0) is a regression.
void judge_difference(GateRow& row, const metrics::PairedDifference& d, const GateOptions& o) {
  const double drop = -d.difference;
  if (drop > o.max_drop && d.interval.high < 0) {
    row.reasons.push_back(row.metric + " dropped " + format_points(drop) + " points on " + std::to_string(d.n) +
                          " shared samples (mean " + format_points(d.baseline) + " -> " + format_points(d.candidate) +
                          "; " + format_level(o.bootstrap_options().level) + " paired-bootstrap interval " +
                          format_interval(d.interval) + "): larger than --max-drop " + format_points(o.max_drop) +
                          " and significant");
    raise(row, Verdict::kRegression);
  } else if (d.interval.low > 0) {
    raise(row, Verdict::kImproved);
  }
}

void judge_floor(GateRow& row, const compare::Headline& candidate, const MetricFloor& floor) {
  row.floor = floor.points;
  if (candidate.value >= floor.points) return;
  row.reasons.push_back("candidate " + candidate.metric + " " + format_points(candidate.value) +
                        " is below the floor " + format_points(floor.points) + " (--metric-floor " + to_string(floor) +
                        ")");
  raise(row, Verdict::kBelowFloor);
}

GateRow compared_row(const compare::Comparison& c, const compare::Headline* candidate, const GateOptions& o) {
  GateRow row;
  row.task = c.key.task;
  row.key = c.key;
  row.metric = c.metric;
  if (!c.metric.empty()) row.baseline = c.baseline_value;
  const bool candidate_scored = candidate && !candidate->metric.empty();
  if (candidate_scored) row.candidate = candidate->value;
  if (c.difference.n > 0) row.difference = c.difference;
  if (!c.problems.empty()) {
    row.reasons = c.problems;
    row.verdict = Verdict::kNotComparable;
  } else {
    judge_difference(row, c.difference, o);
  }
  if (const auto* floor = applicable_floor(o.floors, c.key); floor && candidate_scored)
    judge_floor(row, *candidate, *floor);
  return row;
}

// A candidate evaluation the baseline lacks is still held to its floor.
GateRow floor_only_row(const compare::Headline& h, const MetricFloor& floor) {
  GateRow row;
  row.task = h.key.task;
  row.key = h.key;
  row.metric = h.metric;
  row.floor = floor.points;
  if (h.status != "completed")
    row.reasons.push_back("candidate evaluation " + std::to_string(h.evaluation) + " is " + h.status +
                          ", not completed");
  if (h.metric.empty()) {
    row.reasons.push_back("candidate evaluation " + std::to_string(h.evaluation) + " has no metrics (not scored)");
  } else {
    row.candidate = h.value;
  }
  if (!row.reasons.empty()) {
    row.verdict = Verdict::kNotComparable;
    return row;
  }
  judge_floor(row, h, floor);
  return row;
}

GateRow missing_floor_row(const MetricFloor& floor, const RunRef& candidate) {
  GateRow row;
  row.task = floor.task;
  row.key = {floor.task, "", floor.shots.value_or(0), 0};
  row.shots_label = floor.shots ? std::to_string(*floor.shots) : "-";
  row.name = floor.shots ? shots_name(floor.task, *floor.shots) : floor.task;
  row.floor = floor.points;
  row.verdict = Verdict::kNotComparable;
  row.reasons.push_back(run_name("candidate", candidate) + " has no " + row.name + " evaluation for --metric-floor " +
                        to_string(floor));
  return row;
}

GateRow nothing_shared_row(const GateInput& input) {
  GateRow row;
  row.shots_label = "-";
  row.name = "shared evaluations";
  row.verdict = Verdict::kNotComparable;
  row.reasons.push_back(run_name("baseline", input.baseline) + " and " + run_name("candidate", input.candidate) +
                        " share no evaluation (same task, shots and trial)");
  return row;
}

// Names rows "coco 4-shot", and "coco 4-shot trial 1" where a task and shot count has several trials.
void name_rows(std::vector<GateRow>& rows) {
  std::map<std::pair<std::string, int>, std::set<int>> trials;
  for (const auto& r : rows)
    if (r.name.empty()) trials[{r.task, r.key.shots}].insert(r.key.trial);
  for (auto& r : rows) {
    if (!r.name.empty()) continue;
    const bool several = trials[{r.task, r.key.shots}].size() > 1;
    const std::string trial = std::to_string(r.key.trial);
    r.name = shots_name(r.task, r.key.shots) + (several ? " trial " + trial : "");
    r.shots_label = std::to_string(r.key.shots) + (several ? " (trial " + trial + ")" : "");
  }
}

std::string describe(const compare::EvaluationKey& key) {
  return shots_name(key.task, key.shots) + (key.trial ? " trial " + std::to_string(key.trial) : "") + " (" + key.split +
         ")";
}

std::vector<std::string> unmatched_notes(const GateInput& input) {
  std::string baseline_only, candidate_only;
  for (const auto& key : input.unmatched) {
    const bool in_candidate = std::any_of(input.candidate_headlines.begin(), input.candidate_headlines.end(),
                                          [&](const compare::Headline& h) { return h.key == key; });
    auto& list = in_candidate ? candidate_only : baseline_only;
    list += (list.empty() ? "" : ", ") + describe(key);
  }
  std::vector<std::string> notes;
  if (!baseline_only.empty()) notes.push_back("only in the baseline run, not compared: " + baseline_only);
  if (!candidate_only.empty()) notes.push_back("only in the candidate run, not compared: " + candidate_only);
  return notes;
}

}  // namespace

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kRegression:
      return "regression";
    case Verdict::kBelowFloor:
      return "below floor";
    case Verdict::kNotComparable:
      return "not comparable";
  }
  return "not comparable";
}

bool is_failure(Verdict verdict) { return severity(verdict) >= severity(Verdict::kBelowFloor); }

void check_options(const GateOptions& o) {
  if (!std::isfinite(o.max_drop) || o.max_drop < 0)
    throw Error("--max-drop", "must be a number of points >= 0, not " + std::to_string(o.max_drop));
  if (!(o.alpha > 0 && o.alpha < 1)) throw Error("--alpha", "must be between 0 and 1 (exclusive), e.g. 0.05");
  if (o.bootstrap < 1) throw Error("--bootstrap", "must be at least 1 replicate");
  std::set<std::pair<std::string, std::optional<int>>> targets;
  for (const auto& floor : o.floors)
    if (!targets.insert({floor.task, floor.shots}).second)
      throw Error("--metric-floor", "'" + to_string(floor) + "': a second floor for the same task and shots");
}

std::size_t GateReport::count(Verdict verdict) const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [&](const GateRow& r) { return r.verdict == verdict; }));
}

std::size_t GateReport::failures() const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const GateRow& r) { return is_failure(r.verdict); }));
}

GateInput load_gate_input(store::ResultsStore& baseline_db, std::int64_t baseline_run,
                          store::ResultsStore& candidate_db, std::int64_t candidate_run, const GateOptions& options) {
  GateInput input;
  input.baseline = {baseline_db.path().string(), baseline_run};
  input.candidate = {candidate_db.path().string(), candidate_run};
  input.comparisons =
      compare::compare_runs(baseline_db, baseline_run, candidate_db, candidate_run, options.bootstrap_options());
  input.unmatched = compare::unmatched_evaluations(baseline_db, baseline_run, candidate_db, candidate_run);
  input.candidate_headlines = compare::headline_values(candidate_db, candidate_run);
  return input;
}

GateReport evaluate_gate(const GateInput& input, const GateOptions& options) {
  GateReport report;
  report.baseline = input.baseline;
  report.candidate = input.candidate;
  report.options = options;
  std::map<std::int64_t, const compare::Headline*> candidate_by_id;
  for (const auto& h : input.candidate_headlines) candidate_by_id[h.evaluation] = &h;

  if (input.comparisons.empty()) report.rows.push_back(nothing_shared_row(input));
  std::set<std::int64_t> compared;
  for (const auto& c : input.comparisons) {
    const auto it = candidate_by_id.find(c.candidate_evaluation);
    report.rows.push_back(compared_row(c, it == candidate_by_id.end() ? nullptr : it->second, options));
    compared.insert(c.candidate_evaluation);
  }
  for (const auto& h : input.candidate_headlines)
    if (const auto* floor = applicable_floor(options.floors, h.key); floor && !compared.count(h.evaluation))
      report.rows.push_back(floor_only_row(h, *floor));
  for (const auto& floor : options.floors) {
    const bool present = std::any_of(input.candidate_headlines.begin(), input.candidate_headlines.end(),
                                     [&](const compare::Headline& h) {
                                       return h.key.task == floor.task && (!floor.shots || h.key.shots == *floor.shots);
                                     });
    if (!present) report.rows.push_back(missing_floor_row(floor, input.candidate));
  }
  std::stable_sort(report.rows.begin(), report.rows.end(), [](const GateRow& a, const GateRow& b) {
    return std::tie(a.key.task, a.key.shots, a.key.trial) < std::tie(b.key.task, b.key.shots, b.key.trial);
  });
  name_rows(report.rows);
  report.notes = unmatched_notes(input);
  return report;
}

}  // namespace mmh::gate
