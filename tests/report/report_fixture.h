#pragma once
// Synthetic runs written through ResultsStore, for the report tests: every
// field the page shows can be set, so each can carry an attack string.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/store/results_store.h"

namespace mmh::test {

struct FixtureEvaluation {
  std::string task = "vqav2", split = "val";
  int shots = 0;
  std::string template_hash = "tmpl-hash";
  std::vector<store::SampleResult> samples;
  std::vector<store::Metric> metrics;  // the first is the headline
};

struct FixtureRun {
  std::string name = "run";
  store::Model model{"/models/m", "llava", "xxh64:0123456789abcdef", "fp32"};
  std::string device = "cpu", host = "host";
  std::vector<std::string> argv = {"mmharness", "run"};
  nlohmann::json seeds = {{"seed", 0}};
  nlohmann::json settings = nlohmann::json::object();
  store::Status status = store::Status::kCompleted;
  std::vector<FixtureEvaluation> evaluations;
};

// Writes the run; returns its id.
std::int64_t add_fixture_run(store::ResultsStore& store, const FixtureRun& run);

// A VQA sample: its per-sample accuracy (0-100, stored as VQA stores it) and prediction.
store::SampleResult vqa_sample(const std::string& key, double accuracy, const std::string& prediction = "two");

// An evaluation of `task` whose i-th sample scores scores[i], with a headline
// accuracy of their mean (and a breakdown, so the page draws its chart).
FixtureEvaluation vqa_evaluation(const std::vector<double>& scores, int shots = 0, const std::string& task = "vqav2");

}  // namespace mmh::test
