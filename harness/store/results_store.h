#pragma once
// The results database: every run, evaluation, sample and metric, in SQLite.
// Writes happen in explicit transactions (a batch of samples at a time), so a
// process killed at any moment leaves a consistent database and loses at most
// the batch in flight. The schema is documented in docs/results-schema.md.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mmh::sql {
class Database;
}

namespace mmh::store {

struct Model {
  std::string path;
  std::string family;  // "llava", "paligemma", ...
  std::string digest;  // content digest of config + weight index
  std::string dtype;   // "fp32", "bf16", ...
};

enum class Status { kRunning, kCompleted, kFailed, kInterrupted };
const char* to_string(Status);

struct RunStart {
  std::optional<std::string> name;
  std::vector<std::string> argv;
  std::string harness_version;
  std::string git_revision;
  std::string host;
  std::string device;
  nlohmann::json seeds = nlohmann::json::object();
  nlohmann::json settings = nlohmann::json::object();  // everything else that defines the run
};

struct EvaluationStart {
  std::string task;
  std::string split;
  int shots = 0;
  int trial = 0;
  std::string template_id;
  std::string template_hash;
  std::int64_t sample_count = 0;  // samples the evaluation covers when complete
};

struct SampleResult {
  std::string key;
  std::vector<std::string> demo_keys;
  std::string prompt_hash;
  std::string raw_output;
  std::string prediction;
  nlohmann::json scores = nlohmann::json::object();  // metric name -> per-sample value
  std::optional<double> latency_ms;
};

struct Metric {
  std::string name;  // "CIDEr", "accuracy", "accuracy/answer_type=yes/no"
  double value = 0;
  std::optional<double> ci_low, ci_high;
  std::int64_t n = 0;
};

struct RunSummary {
  std::int64_t id = 0;
  std::optional<std::string> name;
  std::string status;
  std::string started_at;
  std::optional<std::string> ended_at;
  Model model;
  std::string device;
  std::string harness_version;
  std::string git_revision;
  std::string host;
  std::int64_t evaluation_count = 0;
};

struct EvaluationSummary {
  std::int64_t id = 0;
  EvaluationStart spec;
  std::string status;
  std::int64_t samples_done = 0;
  std::optional<double> wall_seconds;
  std::vector<Metric> metrics;
};

struct RunDetail {
  RunSummary summary;
  std::vector<std::string> argv;
  nlohmann::json seeds;
  nlohmann::json settings;
  std::vector<EvaluationSummary> evaluations;
};

class ResultsStore {
 public:
  enum class OpenMode {
    kCreate,    // create the file if it does not exist (commands that write results)
    kExisting,  // the file must exist (commands that read results)
  };
  // Opens and migrates the database. Throws mmh::Error (exit code 2) for a
  // missing file (kExisting), a non-SQLite or corrupt file, another
  // application's database, or a schema newer than this build.
  static ResultsStore open(const std::filesystem::path& path, OpenMode mode);
  ResultsStore(ResultsStore&&) noexcept;
  ResultsStore& operator=(ResultsStore&&) noexcept;
  ~ResultsStore();

  const std::filesystem::path& path() const;

  // --- writing -----------------------------------------------------------
  // Returns the existing row when (digest, dtype, path) is already stored.
  std::int64_t add_model(const Model& model);
  std::int64_t begin_run(std::int64_t model_id, const RunStart& run);
  void end_run(std::int64_t run_id, Status status);
  std::int64_t begin_evaluation(std::int64_t run_id, const EvaluationStart& evaluation);
  void end_evaluation(std::int64_t evaluation_id, Status status, double wall_seconds);
  // One transaction for the whole batch: all of it is stored, or none.
  void add_samples(std::int64_t evaluation_id, std::span<const SampleResult> samples);
  // Replaces the evaluation's metrics, in one transaction.
  void set_metrics(std::int64_t evaluation_id, std::span<const Metric> metrics);

  // --- reading -----------------------------------------------------------
  std::vector<RunSummary> list_runs();
  std::optional<RunDetail> find_run(std::int64_t run_id);
  std::vector<SampleResult> samples(std::int64_t evaluation_id);

 private:
  explicit ResultsStore(std::unique_ptr<sql::Database> db);
  std::unique_ptr<sql::Database> db_;
};

}  // namespace mmh::store
