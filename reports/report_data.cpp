#include "reports/report_data.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "tasks/catalog.h"

namespace mmh::reports {
namespace {

compare::EvaluationKey key_of(const store::EvaluationSummary& e) {
  return {e.spec.task, e.spec.split, e.spec.shots, e.spec.trial};
}

// Tasks in the catalog's order (captions, then VQA, then MMMU), unknown ones after.
std::size_t task_rank(const std::string& task) {
  const auto catalog = tasks::task_catalog();
  for (std::size_t i = 0; i < catalog.size(); ++i)
    if (catalog[i].id == task) return i;
  return catalog.size();
}

std::vector<ReportRun> select_runs(store::ResultsStore& store, const ReportRequest& request) {
  const std::string db = store.path().string();
  std::vector<std::int64_t> ids = request.run_ids;
  if (ids.empty()) {
    for (const auto& r : store.list_runs())
      if (r.status == "completed") ids.push_back(r.id);
    if (ids.empty() && !request.baseline)
      throw Error(db, "has no completed runs to report (see 'mmharness runs'; --runs picks others)");
  }
  if (request.baseline && std::find(ids.begin(), ids.end(), *request.baseline) == ids.end())
    ids.insert(ids.begin(), *request.baseline);
  std::vector<ReportRun> runs;
  std::set<std::int64_t> seen;
  for (const auto id : ids) {
    if (!seen.insert(id).second) continue;
    auto detail = store.find_run(id);
    if (!detail) throw Error(db, "has no run " + std::to_string(id) + " (see 'mmharness runs')");
    const std::string label = detail->summary.name.value_or(std::string("run ").append(std::to_string(id)));
    runs.push_back({std::move(*detail), label});
  }
  return runs;
}

std::optional<std::size_t> find_cell_evaluation(const store::RunDetail& run, const compare::EvaluationKey& key) {
  for (std::size_t i = 0; i < run.evaluations.size(); ++i)
    if (key_of(run.evaluations[i]) == key) return i;
  return std::nullopt;
}

void add_comparisons(store::ResultsStore& store, ReportData& data) {
  const auto& baseline = data.runs[*data.baseline].detail.summary;
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    if (r == *data.baseline) continue;
    const auto comparisons =
        compare::compare_runs(store, baseline.id, store, data.runs[r].detail.summary.id, metrics::BootstrapOptions{});
    for (const auto& c : comparisons) {
      // compare pairs a task scored on another split too (a problem it reports): find the cell by the candidate's
      // evaluation.
      for (std::size_t col = 0; col < data.columns.size(); ++col) {
        auto& cell = data.cells[r][col];
        if (cell.evaluation && data.runs[r].detail.evaluations[*cell.evaluation].id == c.candidate_evaluation)
          cell.vs_baseline = c;
      }
    }
  }
}

}  // namespace

double headline_scale(const std::string& task) { return tasks::find_task(task) ? compare::points_scale(task) : 1.0; }

std::optional<Headline> headline_of(const store::EvaluationSummary& evaluation) {
  if (evaluation.metrics.empty()) return std::nullopt;
  // The first metric stored is the headline (the gate and compare read it the same way).
  const auto& m = evaluation.metrics.front();
  const double scale = headline_scale(evaluation.spec.task);
  Headline h{m.name, m.value * scale, std::nullopt, std::nullopt, m.n};
  if (m.ci_low) h.low = *m.ci_low * scale;
  if (m.ci_high) h.high = *m.ci_high * scale;
  return h;
}

void mark_best(std::vector<std::vector<Cell>>& cells) {
  const std::size_t columns = cells.empty() ? 0 : cells.front().size();
  for (std::size_t col = 0; col < columns; ++col) {
    std::optional<double> best, worst;
    for (const auto& row : cells)
      if (const auto& h = row[col].headline) {
        best = best ? std::max(*best, h->value) : h->value;
        worst = worst ? std::min(*worst, h->value) : h->value;
      }
    // Two runs at least, and not all equal: otherwise "best" says nothing.
    const bool differs = best && worst && *best > *worst;
    for (auto& row : cells) row[col].best = differs && row[col].headline && row[col].headline->value == *best;
  }
}

std::vector<Column> columns_of(const std::vector<ReportRun>& runs) {
  std::set<compare::EvaluationKey> keys;
  for (const auto& run : runs)
    for (const auto& e : run.detail.evaluations) keys.insert(key_of(e));
  std::vector<compare::EvaluationKey> ordered(keys.begin(), keys.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return task_rank(a.task) < task_rank(b.task); });
  // The split and trial only show when a task has more than one of them.
  std::map<std::string, std::set<std::string>> splits;
  std::map<std::string, std::set<int>> trials;
  for (const auto& k : ordered) {
    splits[k.task].insert(k.split);
    trials[k.task].insert(k.trial);
  }
  std::vector<Column> out;
  for (const auto& k : ordered) {
    std::string label = k.task;
    if (splits[k.task].size() > 1) label.append(" (").append(k.split).append(")");
    label.append(" ").append(std::to_string(k.shots)).append("-shot");
    if (trials[k.task].size() > 1) label.append(" #").append(std::to_string(k.trial));
    out.push_back({k, label});
  }
  return out;
}

ReportData load_report_data(store::ResultsStore& store, const ReportRequest& request) {
  ReportData data;
  data.db = store.path();
  data.max_samples = request.max_samples;
  data.runs = select_runs(store, request);
  if (request.baseline)
    for (std::size_t r = 0; r < data.runs.size(); ++r)
      if (data.runs[r].detail.summary.id == *request.baseline) data.baseline = r;
  data.columns = columns_of(data.runs);
  data.cells.assign(data.runs.size(), std::vector<Cell>(data.columns.size()));
  for (std::size_t r = 0; r < data.runs.size(); ++r)
    for (std::size_t col = 0; col < data.columns.size(); ++col) {
      auto& cell = data.cells[r][col];
      cell.evaluation = find_cell_evaluation(data.runs[r].detail, data.columns[col].key);
      if (cell.evaluation) cell.headline = headline_of(data.runs[r].detail.evaluations[*cell.evaluation]);
    }
  mark_best(data.cells);
  if (data.baseline) add_comparisons(store, data);
  load_sample_rows(store, data);
  return data;
}

}  // namespace mmh::reports
