#pragma once
// `mmharness run` without the command line: for each (task, shots, trial) it
// builds the prompts of this shard's samples, serves what it can from the
// response cache, generates the rest in batches, post-processes, and commits
// each batch in one transaction; then scores the evaluation from what is
// stored. Running the same settings again resumes the unfinished run.
//
// The model is passed in (model_backend/model.h's interface), so tests can
// drive the runner with a fake model (out of memory, failing images).
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/run/progress.h"
#include "harness/run/shard.h"
#include "harness/store/results_store.h"
#include "model_backend/model.h"
#include "prompts/demos.h"
#include "tasks/task_data.h"

namespace mmh::run {

struct RunOptions {
  std::filesystem::path model_dir;
  std::vector<std::string> tasks;  // task ids, in command order
  std::vector<int> shots = {0};
  int trials = 1;                  // demonstration draws per few-shot setting (zero-shot runs once)
  std::uint64_t seed = 0;          // demonstrations, --limit, bootstrap
  std::size_t limit = 0;           // 0: every sample
  std::string template_id = "fewshot";
  prompts::DemoMode demos = prompts::DemoMode::kPerQuery;
  bool truncate_demos = false;     // drop demonstrations (farthest first) from a prompt that does not fit
  int batch_size = 8;
  std::string device = "cpu", dtype = "fp32", weights_variant;
  std::optional<int> max_new_tokens;  // overrides every task's generation length
  std::optional<std::string> name;
  Shard shard;
  bool new_run = false;   // never resume
  bool use_cache = true;  // the response cache
  Progress::Mode progress = Progress::Mode::kAuto;
  int bootstrap = 1000;
  std::vector<std::string> argv;
};

// What the caller has loaded and measured.
struct RunInputs {
  std::vector<tasks::TaskData> data;  // one per RunOptions::tasks entry
  backend::Model* model = nullptr;
  std::string model_digest;
  std::string device_description;     // "cpu (AMD EPYC 7B13)", "cuda:0 (NVIDIA H100 80GB HBM3)"
  nlohmann::json provenance = nlohmann::json::object();  // model, runtime, data: stored in runs.settings
};

struct RunOutcome {
  std::int64_t run_id = 0;
  bool resumed = false;
  std::size_t samples_already_stored = 0;  // when resumed
  bool interrupted = false;
  std::size_t generated = 0, cached = 0, failed = 0;
  int final_batch_size = 0;  // after any out-of-memory halving
};

// The fingerprint of the settings that define results (the shard excluded).
std::string run_fingerprint(const RunOptions& options, const RunInputs& inputs);

RunOutcome execute_run(const RunOptions& options, const RunInputs& inputs, store::ResultsStore& store);

// The command to resume an interrupted run: argv quoted for a POSIX shell.
std::string shell_command(const std::vector<std::string>& argv);

}  // namespace mmh::run
