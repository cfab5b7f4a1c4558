#include "harness/run/scoring.h"

#include "common/error.h"
#include "tasks/metrics/bootstrap.h"
#include "tasks/score_samples.h"

namespace mmh::run {

EvaluationScore score_evaluation(store::ResultsStore& store, std::int64_t evaluation_id, const tasks::TaskInfo& task,
                                 const ScoringOptions& options) {
  const std::vector<store::SampleResult> stored = store.samples(evaluation_id);
  EvaluationScore out;
  out.samples = stored.size();
  if (stored.empty()) return out;

  std::vector<tasks::TaskSample> samples;
  std::vector<std::string> predictions;
  samples.reserve(stored.size());
  predictions.reserve(stored.size());
  for (const auto& s : stored) {
    const std::string where =
        store.path().string() + ": sample '" + s.key + "' of evaluation " + std::to_string(evaluation_id);
    samples.push_back(tasks::sample_from_ground_truth(s.key, s.ground_truth, where));
    predictions.push_back(s.failed ? std::string() : s.prediction);
    out.failed += s.failed;
    out.cached += s.cached;
  }
  const metrics::MetricResult result = tasks::score_predictions(task, samples, predictions);

  std::vector<metrics::Interval> intervals;
  if (options.bootstrap > 0)
    intervals = metrics::bootstrap_intervals(result.scores, {options.bootstrap, options.seed, 0.95});
  const auto n = static_cast<std::int64_t>(stored.size());
  for (std::size_t i = 0; i < result.scores.size(); ++i) {
    store::Metric m{result.scores[i].name, result.scores[i].corpus, std::nullopt, std::nullopt, n};
    if (!intervals.empty()) {
      m.ci_low = intervals[i].low;
      m.ci_high = intervals[i].high;
    }
    out.metrics.push_back(std::move(m));
  }
  // Breakdowns carry no interval; their group sizes are not tracked (n = 0).
  const std::string headline = result.scores.empty() ? task.headline_metric : result.scores.front().name;
  for (const auto& [name, value] : result.breakdown) out.metrics.push_back({headline + "/" + name, value, {}, {}, 0});
  for (const auto& [name, value] : result.notes.items())
    if (value.is_number()) out.metrics.push_back({"note/" + name, value.get<double>(), {}, {}, n});

  std::vector<std::pair<std::string, nlohmann::json>> sample_scores;
  sample_scores.reserve(stored.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    nlohmann::json scores = nlohmann::json::object();
    for (const auto& score : result.scores) scores[score.name] = score.per_sample[i];
    sample_scores.emplace_back(stored[i].key, std::move(scores));
  }
  store.set_scores(evaluation_id, sample_scores, out.metrics);
  return out;
}

}  // namespace mmh::run
