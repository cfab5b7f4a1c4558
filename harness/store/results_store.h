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
  // Identifies the settings that define the run's results (not the shard): a
  // command run again with the same fingerprint and shard resumes this run.
  std::string fingerprint;
  int shard_index = 0, shard_count = 1;
  std::string owner;  // "host:pid" of the process writing the run
};

struct EvaluationStart {
  std::string task;
  std::string split;
  int shots = 0;
  int trial = 0;
  std::string template_id;
  std::string template_hash;
  std::int64_t sample_count = 0;  // samples the evaluation covers when complete
  std::string postprocess;        // the named step from raw output to prediction
};

struct SampleResult {
  std::string key;
  std::vector<std::string> demo_keys;
  std::string prompt_hash;
  std::string raw_output;
  std::string prediction;
  nlohmann::json scores = nlohmann::json::object();  // metric name -> per-sample value
  std::optional<double> latency_ms;
  std::int64_t position = 0;  // index in the evaluation's full sample order (metrics are computed in this order)
  // What scoring needs, so a merge or re-score reads no data: {"references": [...], "options": [...], "meta": {...}}.
  nlohmann::json ground_truth = nlohmann::json::object();
  // What was asked, for reports: {"question": ..., "images": [{"key": ..., "path": ...}]} (the query's own images).
  nlohmann::json query = nlohmann::json::object();
  bool failed = false;        // generation failed (e.g. a corrupt image): `error` says why, scored as empty output
  std::string error;
  std::string response_key;   // response-cache key (empty for a failed sample)
  bool cached = false;        // the output came from the response cache
  // For the response cache: why generation stopped and how many tokens it made.
  std::string stop_reason;
  std::int64_t new_tokens = 0;
};

struct CachedResponse {
  std::string raw_output;
  std::string stop_reason;
  std::int64_t new_tokens = 0;
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
  std::string fingerprint;
  int shard_index = 0, shard_count = 1;
  std::string owner;
};

struct EvaluationSummary {
  std::int64_t id = 0;
  EvaluationStart spec;
  std::string status;
  std::int64_t samples_done = 0;
  std::int64_t samples_failed = 0, samples_cached = 0;
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
  // One transaction for the whole batch: all of it is stored, or none. The
  // generated outputs (not failed, not already cached) enter the response cache
  // in the same transaction.
  void add_samples(std::int64_t evaluation_id, std::span<const SampleResult> samples);
  // Replaces the evaluation's metrics, in one transaction.
  void set_metrics(std::int64_t evaluation_id, std::span<const Metric> metrics);
  // Per-sample scores (key -> {metric: value}) and corpus metrics, together in one transaction.
  void set_scores(std::int64_t evaluation_id, std::span<const std::pair<std::string, nlohmann::json>> sample_scores,
                  std::span<const Metric> metrics);

  // --- resuming ----------------------------------------------------------
  // The newest run with this fingerprint and shard that did not complete.
  std::optional<RunSummary> find_unfinished_run(const std::string& fingerprint, int shard_index, int shard_count);
  // Marks a run running again under a new owner (ended_at cleared); `resume`
  // (when, where, the command) is appended to settings.resumed.
  void reopen_run(std::int64_t run_id, const std::string& owner, const nlohmann::json& resume = nullptr);
  struct EvaluationRow {
    std::int64_t id = 0;
    std::string status;
    double wall_seconds = 0;
  };
  std::optional<EvaluationRow> find_evaluation(std::int64_t run_id, const EvaluationStart& spec);
  void reopen_evaluation(std::int64_t evaluation_id);
  std::vector<std::string> sample_keys(std::int64_t evaluation_id);

  // --- response cache ----------------------------------------------------
  std::optional<CachedResponse> find_response(const std::string& key);
  // Copies responses from another file (merge); existing keys are kept.
  void add_responses(std::span<const std::pair<std::string, CachedResponse>> responses);
  std::vector<std::pair<std::string, CachedResponse>> all_responses();

  // --- reading -----------------------------------------------------------
  std::vector<RunSummary> list_runs();
  std::optional<RunDetail> find_run(std::int64_t run_id);
  // In position order.
  std::vector<SampleResult> samples(std::int64_t evaluation_id);

 private:
  explicit ResultsStore(std::unique_ptr<sql::Database> db);
  std::unique_ptr<sql::Database> db_;
};

}  // namespace mmh::store
