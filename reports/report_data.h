#pragma once
// Everything the page shows, read from the results store before a byte of HTML
// is written: the runs, one column per (task, split, shots, trial), each run's
// headline value there (in points, with its interval), the paired comparison
// with a baseline, and the samples the per-sample browser shows.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/compare/compare.h"
#include "harness/store/results_store.h"

namespace mmh::reports {

struct ReportRequest {
  std::vector<std::int64_t> run_ids;     // empty: every completed run, in id order
  std::optional<std::int64_t> baseline;  // added to the runs (first) when not among them
  std::size_t max_samples = 2000;        // rows of the per-sample browser, over all groups
};

// A headline metric value in points (compare::points_scale).
struct Headline {
  std::string metric;
  double value = 0;
  std::optional<double> low, high;  // the stored 95% interval
  std::int64_t n = 0;
};

struct Column {
  compare::EvaluationKey key;
  std::string label;  // "vqav2 4-shot", with the trial and split when they vary
};

struct Cell {
  std::optional<std::size_t> evaluation;  // index into the run's detail.evaluations; empty: not evaluated
  std::optional<Headline> headline;
  std::optional<compare::Comparison> vs_baseline;  // the other runs' cells, with --baseline
  bool best = false;                               // the column's highest headline (ties all marked)
};

struct ReportRun {
  store::RunDetail detail;
  std::string label;  // the run's name, or "run N"
};

// One run's answer to one sample of the browser.
struct SampleAnswer {
  bool present = false;  // the run scored this sample
  std::string raw_output, prediction, error;
  std::vector<std::string> demo_keys;
  std::optional<double> score;  // headline, in points
  bool failed = false, cached = false;
};

struct SampleRow {
  std::string key;
  std::int64_t position = 0;
  nlohmann::json ground_truth, query;  // from the first run that has the sample
  std::vector<SampleAnswer> answers;   // one per ReportData::runs
  double spread = 0;                   // max - min headline score across the runs, in points
};

struct SampleGroup {
  std::size_t column = 0;
  std::string metric;
  std::size_t total = 0;        // distinct samples the runs scored in this column
  std::vector<SampleRow> rows;  // the most disagreement first
};

struct ReportData {
  std::filesystem::path db;
  std::vector<ReportRun> runs;
  std::optional<std::size_t> baseline;   // index into runs
  std::vector<Column> columns;           // catalog task order, then split, shots, trial
  std::vector<std::vector<Cell>> cells;  // [run][column]
  std::vector<SampleGroup> samples;
  std::size_t max_samples = 0, samples_total = 0, samples_shown = 0;
};

// mmh::Error (naming the database) for an unknown run id or when there is no run to show.
ReportData load_report_data(store::ResultsStore& store, const ReportRequest& request);

// Points per stored unit of a task's headline (1 for a task the catalog does not know).
double headline_scale(const std::string& task);
// The run's headline in a column, in points (nullopt: not evaluated or not scored).
std::optional<Headline> headline_of(const store::EvaluationSummary& evaluation);
// Sets Cell::best on the highest headline of each column (every run that ties for it), unless all
// the column's values are equal or only one run has one.
void mark_best(std::vector<std::vector<Cell>>& cells);
// The columns of these runs, ordered, with their labels.
std::vector<Column> columns_of(const std::vector<ReportRun>& runs);

// Fills ReportData::samples (sample_rows.cpp).
void load_sample_rows(store::ResultsStore& store, ReportData& data);

}  // namespace mmh::reports
