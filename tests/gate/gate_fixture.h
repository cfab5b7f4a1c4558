#pragma once
// Results databases with known per-sample scores, written through
// ResultsStore as a run writes them, so the gate's verdicts are known in advance.
#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "harness/store/results_store.h"
#include "store_fixtures.h"

namespace mmh::test {

// One evaluation: its settings, the headline metric and each sample's score
// (stored scale: VQA 0-100, CIDEr 1.12, GQA and MMMU 0-1), keyed "<prefix><i>".
struct StoredEvaluation {
  store::EvaluationStart spec;
  std::string metric = "accuracy";
  std::vector<double> scores;
  std::string key_prefix = "q";
  std::map<std::string, nlohmann::json> ground_truth;  // per key; default {"references": ["answer KEY"]}
  std::vector<std::string> failed;                     // keys stored as failed samples
  store::Status status = store::Status::kCompleted;
  bool scored = true;  // false: no metrics, no per-sample scores (an evaluation interrupted before scoring)
};

inline store::EvaluationStart vqa_spec(const std::string& task = "vqav2", int shots = 0, int trial = 0) {
  return {task, "val", shots, trial, "fewshot", "xxh64:f00d", 0, "vqa_short"};
}

inline StoredEvaluation vqa_evaluation(std::vector<double> scores, int shots = 0, const std::string& task = "vqav2") {
  StoredEvaluation e;
  e.spec = vqa_spec(task, shots);
  e.scores = std::move(scores);
  return e;
}

inline std::string sample_key(const StoredEvaluation& e, std::size_t i) { return e.key_prefix + std::to_string(i); }

// Writes a completed run (model `model_path`, name `name`) and returns its id.
inline std::int64_t add_run(store::ResultsStore& db, const std::vector<StoredEvaluation>& evaluations,
                            const std::string& name = "run", const std::string& model_path = "/models/llava-tiny") {
  const auto run = db.begin_run(db.add_model(tiny_model(model_path)), tiny_run(name));
  for (const auto& e : evaluations) {
    auto spec = e.spec;
    spec.sample_count = static_cast<std::int64_t>(e.scores.size());
    const auto id = db.begin_evaluation(run, spec);
    std::vector<store::SampleResult> samples;
    std::vector<std::pair<std::string, nlohmann::json>> scores;
    for (std::size_t i = 0; i < e.scores.size(); ++i) {
      store::SampleResult s;
      s.key = sample_key(e, i);
      s.position = static_cast<std::int64_t>(i);
      s.prediction = "answer";
      const auto truth = e.ground_truth.find(s.key);
      s.ground_truth =
          truth != e.ground_truth.end() ? truth->second : nlohmann::json{{"references", {"answer " + s.key}}};
      s.failed = std::find(e.failed.begin(), e.failed.end(), s.key) != e.failed.end();
      if (s.failed) s.error = "corrupt image";
      samples.push_back(s);
      scores.emplace_back(s.key, nlohmann::json{{e.metric, e.scores[i]}});
    }
    db.add_samples(id, samples);
    if (e.scored) {
      const double mean =
          e.scores.empty() ? 0 : std::accumulate(e.scores.begin(), e.scores.end(), 0.0) / e.scores.size();
      const std::vector<store::Metric> metrics = {{e.metric, mean, {}, {}, static_cast<std::int64_t>(e.scores.size())},
                                                  {e.metric + "/answer_type/other", mean, {}, {}, 0}};
      db.set_scores(id, scores, metrics);
    }
    db.end_evaluation(id, e.status, 1.0);
  }
  db.end_run(run, store::Status::kCompleted);
  return run;
}

// n scores cycling through `pattern` (0/100 VQA accuracies, say).
inline std::vector<double> repeated(const std::vector<double>& pattern, std::size_t n) {
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = pattern[i % pattern.size()];
  return out;
}

// Every score moved by `delta` points.
inline std::vector<double> shifted(std::vector<double> scores, double delta) {
  for (auto& s : scores) s += delta;
  return scores;
}

}  // namespace mmh::test
