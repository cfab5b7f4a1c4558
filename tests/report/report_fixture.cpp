#include "report/report_fixture.h"

#include <numeric>

namespace mmh::test {

std::int64_t add_fixture_run(store::ResultsStore& store, const FixtureRun& run) {
  const auto model = store.add_model(run.model);
  store::RunStart start;
  start.name = run.name;
  start.argv = run.argv;
  start.harness_version = "test";
  start.git_revision = "test";
  start.host = run.host;
  start.device = run.device;
  start.seeds = run.seeds;
  start.settings = run.settings;
  start.fingerprint = "fixture-" + run.name;
  const auto run_id = store.begin_run(model, start);
  for (const auto& e : run.evaluations) {
    const auto eval = store.begin_evaluation(run_id, {e.task, e.split, e.shots, 0, "fewshot", e.template_hash,
                                                      static_cast<std::int64_t>(e.samples.size()), "vqa_short"});
    store.add_samples(eval, e.samples);
    store.set_metrics(eval, e.metrics);
    store.end_evaluation(eval, store::Status::kCompleted, 1.5);
  }
  store.end_run(run_id, run.status);
  return run_id;
}

store::SampleResult vqa_sample(const std::string& key, double accuracy, const std::string& prediction) {
  store::SampleResult s;
  s.key = key;
  s.prompt_hash = "xxh64:0";
  s.raw_output = prediction;
  s.prediction = prediction;
  s.scores = {{"accuracy", accuracy}};
  s.ground_truth = {{"references", {"two", "two", "2"}}, {"meta", {{"answer_type", "number"}}}};
  s.query = {{"question", "How many?"}, {"images", nlohmann::json::array()}};
  s.demo_keys = {"d1", "d2"};
  s.response_key = "response-" + key + "-" + prediction;
  return s;
}

FixtureEvaluation vqa_evaluation(const std::vector<double>& scores, int shots, const std::string& task) {
  FixtureEvaluation e;
  e.task = task;
  e.shots = shots;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    auto s = vqa_sample("q" + std::to_string(i), scores[i]);
    s.position = static_cast<std::int64_t>(i);
    e.samples.push_back(std::move(s));
  }
  const double mean = scores.empty() ? 0 : std::accumulate(scores.begin(), scores.end(), 0.0) / scores.size();
  e.metrics = {{"accuracy", mean, mean - 1, mean + 1, static_cast<std::int64_t>(scores.size())},
               {"accuracy/perAnswerType/number", mean, {}, {}, 0}};
  return e;
}

}  // namespace mmh::test
