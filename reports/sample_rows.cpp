// The per-sample browser's rows: for each column, every run's per-sample
// headline score (one number per row, read with SampleQuery), the samples the
// runs disagree on most within the --max-samples cap, and then those rows in full.
#include <unordered_map>

#include "reports/report_data.h"
#include "reports/sample_query.h"
#include "reports/sample_selection.h"

namespace mmh::reports {
namespace {

struct GroupScores {
  std::size_t column = 0;
  std::string metric;
  std::vector<std::string> keys;
  std::vector<SampleScores> scores;  // parallel to keys
};

// The metric the column's samples are ranked by: the first run's headline there.
std::optional<std::string> column_metric(const ReportData& data, std::size_t col) {
  for (const auto& row : data.cells)
    if (row[col].headline) return row[col].headline->metric;
  return std::nullopt;
}

GroupScores read_group(SampleQuery& query, const ReportData& data, std::size_t col, const std::string& metric) {
  GroupScores g{col, metric, {}, {}};
  const double scale = headline_scale(data.columns[col].key.task);
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    const auto& cell = data.cells[r][col];
    if (!cell.evaluation) continue;
    const auto evaluation_id = data.runs[r].detail.evaluations[*cell.evaluation].id;
    auto scores = query.scores(evaluation_id, metric);
    index.reserve(scores.size());
    for (auto& s : scores) {
      const auto [it, added] = index.emplace(s.key, g.keys.size());
      if (added) {
        g.keys.push_back(std::move(s.key));
        g.scores.push_back({s.position, std::vector<std::optional<double>>(data.runs.size())});
      }
      if (s.score) g.scores[it->second].scores[r] = *s.score * scale;
    }
  }
  return g;
}

SampleRow read_row(SampleQuery& query, const ReportData& data, const GroupScores& g, std::size_t index) {
  SampleRow row;
  row.key = g.keys[index];
  row.position = g.scores[index].position;
  row.spread = score_spread(g.scores[index].scores);
  row.answers.resize(data.runs.size());
  for (std::size_t r = 0; r < data.runs.size(); ++r) {
    const auto& cell = data.cells[r][g.column];
    if (!cell.evaluation) continue;
    auto stored = query.sample(data.runs[r].detail.evaluations[*cell.evaluation].id, row.key);
    if (!stored) continue;
    if (row.ground_truth.is_null()) {
      row.ground_truth = std::move(stored->ground_truth);
      row.query = std::move(stored->query);
    }
    auto& a = row.answers[r];
    a.present = true;
    a.raw_output = std::move(stored->raw_output);
    a.prediction = std::move(stored->prediction);
    a.error = std::move(stored->error);
    a.demo_keys = std::move(stored->demo_keys);
    a.score = g.scores[index].scores[r];
    a.failed = stored->failed;
    a.cached = stored->cached;
  }
  return row;
}

}  // namespace

void load_sample_rows(store::ResultsStore& store, ReportData& data) {
  SampleQuery query(store.path());
  std::vector<GroupScores> groups;
  for (std::size_t col = 0; col < data.columns.size(); ++col)
    if (const auto metric = column_metric(data, col)) groups.push_back(read_group(query, data, col, *metric));

  std::vector<std::size_t> sizes;
  for (const auto& g : groups) sizes.push_back(g.keys.size());
  const auto quota = allocate_quota(sizes, data.max_samples);
  data.samples.clear();
  data.samples_total = data.samples_shown = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    SampleGroup out{groups[i].column, groups[i].metric, groups[i].keys.size(), {}};
    for (const auto index : most_disagreeing(groups[i].scores, quota[i]))
      out.rows.push_back(read_row(query, data, groups[i], index));
    data.samples_total += out.total;
    data.samples_shown += out.rows.size();
    groups[i] = {};  // the scores of a full run are large: free each group once its rows are read
    data.samples.push_back(std::move(out));
  }
}

}  // namespace mmh::reports
