#include "harness/store/results_store.h"

#include "common/error.h"
#include "harness/store/schema.h"
#include "harness/store/sqlite.h"

namespace mmh::store {
namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// JSON columns are written by this code, but the file is the user's: a value
// edited by hand into something unparsable is reported, not crashed on.
nlohmann::json parse_json_column(const sql::Database& db, const std::string& text, const std::string& what) {
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw Error(db.path().string(), what + " holds malformed JSON");
  return value;
}

std::vector<std::string> parse_string_list(const sql::Database& db, const std::string& text, const std::string& what) {
  auto value = parse_json_column(db, text, what);
  std::vector<std::string> out;
  if (!value.is_array()) throw Error(db.path().string(), what + " is not a JSON array");
  for (const auto& item : value) {
    if (!item.is_string()) throw Error(db.path().string(), what + " holds a non-string item");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// argv, sample keys and model output may hold invalid UTF-8: store it with
// replacement characters rather than fail the whole write.
std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void expect_one_row_changed(sql::Database& db, const char* table, std::int64_t id) {
  if (db.changes() != 1)
    throw Error(db.path().string(), std::string("no ") + table + " row with id " + std::to_string(id));
}

constexpr const char* kRunSummaryColumns =
    "r.id, r.name, r.status, r.started_at, r.ended_at, m.path, m.family, m.digest, m.dtype, r.device, "
    "r.harness_version, r.git_revision, r.host, (SELECT count(*) FROM evaluations e WHERE e.run_id = r.id), "
    "r.fingerprint, r.shard_index, r.shard_count, r.owner";
constexpr int kRunSummaryColumnCount = 18;

RunSummary read_run_summary(const sql::Statement& st) {
  RunSummary r;
  r.id = st.get_int(0);
  r.name = st.get_optional_text(1);
  r.status = st.get_text(2);
  r.started_at = st.get_text(3);
  r.ended_at = st.get_optional_text(4);
  r.model = {st.get_text(5), st.get_text(6), st.get_text(7), st.get_text(8)};
  r.device = st.get_text(9);
  r.harness_version = st.get_text(10);
  r.git_revision = st.get_text(11);
  r.host = st.get_text(12);
  r.evaluation_count = st.get_int(13);
  r.fingerprint = st.get_text(14);
  r.shard_index = static_cast<int>(st.get_int(15));
  r.shard_count = static_cast<int>(st.get_int(16));
  r.owner = st.get_text(17);
  return r;
}

}  // namespace

const char* to_string(Status status) {
  switch (status) {
    case Status::kRunning: return "running";
    case Status::kCompleted: return "completed";
    case Status::kFailed: return "failed";
    case Status::kInterrupted: return "interrupted";
  }
  return "unknown";
}

ResultsStore ResultsStore::open(const std::filesystem::path& path, OpenMode mode) {
  auto db = std::make_unique<sql::Database>(
      path, mode == OpenMode::kCreate ? sql::Database::OpenMode::kCreate : sql::Database::OpenMode::kExisting);
  migrate(*db, schema_migrations());
  // FULL: a commit is on disk before the call returns, so a completed sample
  // survives power loss, not just a killed process.
  db->exec("PRAGMA synchronous = FULL;");
  return ResultsStore(std::move(db));
}

ResultsStore::ResultsStore(std::unique_ptr<sql::Database> db) : db_(std::move(db)) {}
ResultsStore::ResultsStore(ResultsStore&&) noexcept = default;
ResultsStore& ResultsStore::operator=(ResultsStore&&) noexcept = default;
ResultsStore::~ResultsStore() = default;

const std::filesystem::path& ResultsStore::path() const { return db_->path(); }

std::int64_t ResultsStore::add_model(const Model& model) {
  sql::Transaction tx(*db_);
  sql::Statement insert(*db_,
                        "INSERT INTO models (path, family, digest, dtype) VALUES (?1, ?2, ?3, ?4) "
                        "ON CONFLICT (digest, dtype, path) DO NOTHING");
  insert.bind(1, model.path).bind(2, model.family).bind(3, model.digest).bind(4, model.dtype).run();
  sql::Statement find(*db_, "SELECT id FROM models WHERE digest = ?1 AND dtype = ?2 AND path = ?3");
  find.bind(1, model.digest).bind(2, model.dtype).bind(3, model.path);
  find.step();
  std::int64_t id = find.get_int(0);
  tx.commit();
  return id;
}

std::int64_t ResultsStore::begin_run(std::int64_t model_id, const RunStart& run) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_,
                    "INSERT INTO runs (model_id, name, status, argv, harness_version, git_revision, host, device, "
                    "seeds, settings, fingerprint, shard_index, shard_count, owner) "
                    "VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  st.bind(1, model_id)
      .bind(2, run.name)
      .bind(3, dump_json(run.argv))
      .bind(4, run.harness_version)
      .bind(5, run.git_revision)
      .bind(6, run.host)
      .bind(7, run.device)
      .bind(8, dump_json(run.seeds))
      .bind(9, dump_json(run.settings))
      .bind(10, run.fingerprint)
      .bind(11, run.shard_index)
      .bind(12, run.shard_count)
      .bind(13, run.owner)
      .run();
  std::int64_t id = db_->last_insert_rowid();
  tx.commit();
  return id;
}

void ResultsStore::end_run(std::int64_t run_id, Status status) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_, std::string("UPDATE runs SET status = ?1, ended_at = ") + kNow + " WHERE id = ?2");
  st.bind(1, to_string(status)).bind(2, run_id).run();
  expect_one_row_changed(*db_, "run", run_id);
  tx.commit();
}

std::int64_t ResultsStore::begin_evaluation(std::int64_t run_id, const EvaluationStart& e) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_,
                    "INSERT INTO evaluations (run_id, task, split, shots, trial, template_id, template_hash, "
                    "sample_count, status, postprocess) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'running', ?9)");
  st.bind(1, run_id)
      .bind(2, e.task)
      .bind(3, e.split)
      .bind(4, e.shots)
      .bind(5, e.trial)
      .bind(6, e.template_id)
      .bind(7, e.template_hash)
      .bind(8, e.sample_count)
      .bind(9, e.postprocess)
      .run();
  std::int64_t id = db_->last_insert_rowid();
  tx.commit();
  return id;
}

void ResultsStore::end_evaluation(std::int64_t evaluation_id, Status status, double wall_seconds) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_, std::string("UPDATE evaluations SET status = ?1, wall_seconds = ?2, ended_at = ") + kNow +
                              " WHERE id = ?3");
  st.bind(1, to_string(status)).bind(2, wall_seconds).bind(3, evaluation_id).run();
  expect_one_row_changed(*db_, "evaluation", evaluation_id);
  tx.commit();
}

void ResultsStore::add_samples(std::int64_t evaluation_id, std::span<const SampleResult> samples) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_,
                    "INSERT INTO samples (evaluation_id, sample_key, demo_keys, prompt_hash, raw_output, prediction, "
                    "scores, latency_ms, position, ground_truth, status, error, response_key, cached, query) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  sql::Statement cache(*db_,
                       "INSERT INTO responses (key, raw_output, stop_reason, new_tokens) VALUES (?1, ?2, ?3, ?4) "
                       "ON CONFLICT (key) DO NOTHING");
  for (const SampleResult& s : samples) {
    st.bind(1, evaluation_id)
        .bind(2, s.key)
        .bind(3, dump_json(s.demo_keys))
        .bind(4, s.prompt_hash)
        .bind(5, s.raw_output)
        .bind(6, s.prediction)
        .bind(7, dump_json(s.scores))
        .bind(8, s.latency_ms)
        .bind(9, s.position)
        .bind(10, dump_json(s.ground_truth))
        .bind(11, s.failed ? "failed" : "ok")
        .bind(12, s.failed ? std::optional<std::string>(s.error) : std::nullopt)
        .bind(13, s.response_key.empty() ? std::nullopt : std::optional<std::string>(s.response_key))
        .bind(14, s.cached ? 1 : 0)
        .bind(15, dump_json(s.query))
        .run();
    if (!s.failed && !s.cached && !s.response_key.empty())
      cache.bind(1, s.response_key).bind(2, s.raw_output).bind(3, s.stop_reason).bind(4, s.new_tokens).run();
  }
  tx.commit();
}

namespace {
void replace_metrics(sql::Database& db, std::int64_t evaluation_id, std::span<const Metric> metrics) {
  sql::Statement clear(db, "DELETE FROM metrics WHERE evaluation_id = ?1");
  clear.bind(1, evaluation_id).run();
  sql::Statement st(db,
                    "INSERT INTO metrics (evaluation_id, name, value, ci_low, ci_high, n) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const Metric& m : metrics)
    st.bind(1, evaluation_id).bind(2, m.name).bind(3, m.value).bind(4, m.ci_low).bind(5, m.ci_high).bind(6, m.n).run();
}
}  // namespace

void ResultsStore::set_metrics(std::int64_t evaluation_id, std::span<const Metric> metrics) {
  sql::Transaction tx(*db_);
  replace_metrics(*db_, evaluation_id, metrics);
  tx.commit();
}

void ResultsStore::set_scores(std::int64_t evaluation_id,
                              std::span<const std::pair<std::string, nlohmann::json>> sample_scores,
                              std::span<const Metric> metrics) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_, "UPDATE samples SET scores = ?1 WHERE evaluation_id = ?2 AND sample_key = ?3");
  for (const auto& [key, scores] : sample_scores) {
    st.bind(1, dump_json(scores)).bind(2, evaluation_id).bind(3, key).run();
    if (db_->changes() != 1)
      throw Error(db_->path().string(), "no sample '" + key + "' in evaluation " + std::to_string(evaluation_id));
  }
  replace_metrics(*db_, evaluation_id, metrics);
  tx.commit();
}

std::optional<RunSummary> ResultsStore::find_unfinished_run(const std::string& fingerprint, int shard_index,
                                                            int shard_count) {
  sql::Statement st(*db_, std::string("SELECT ") + kRunSummaryColumns +
                              " FROM runs r JOIN models m ON m.id = r.model_id WHERE r.fingerprint = ?1 AND "
                              "r.shard_index = ?2 AND r.shard_count = ?3 AND r.status != 'completed' "
                              "ORDER BY r.id DESC LIMIT 1");
  st.bind(1, fingerprint).bind(2, shard_index).bind(3, shard_count);
  if (!st.step()) return std::nullopt;
  return read_run_summary(st);
}

void ResultsStore::reopen_run(std::int64_t run_id, const std::string& owner, const nlohmann::json& resume) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_, "UPDATE runs SET status = 'running', ended_at = NULL, owner = ?1 WHERE id = ?2");
  st.bind(1, owner).bind(2, run_id).run();
  expect_one_row_changed(*db_, "run", run_id);
  if (!resume.is_null()) {
    sql::Statement read(*db_, "SELECT settings FROM runs WHERE id = ?1");
    read.bind(1, run_id);
    read.step();
    nlohmann::json settings = parse_json_column(*db_, read.get_text(0), "run " + std::to_string(run_id) + " settings");
    if (!settings.is_object()) settings = nlohmann::json::object();
    settings["resumed"].push_back(resume);
    sql::Statement write(*db_, "UPDATE runs SET settings = ?1 WHERE id = ?2");
    write.bind(1, dump_json(settings)).bind(2, run_id).run();
  }
  tx.commit();
}

std::optional<ResultsStore::EvaluationRow> ResultsStore::find_evaluation(std::int64_t run_id,
                                                                         const EvaluationStart& spec) {
  sql::Statement st(*db_,
                    "SELECT id, status, coalesce(wall_seconds, 0), template_hash, sample_count FROM evaluations "
                    "WHERE run_id = ?1 AND task = ?2 AND split = ?3 AND shots = ?4 AND trial = ?5");
  st.bind(1, run_id).bind(2, spec.task).bind(3, spec.split).bind(4, spec.shots).bind(5, spec.trial);
  if (!st.step()) return std::nullopt;
  // The fingerprint covers the settings; this guards against a hand-edited file.
  if (st.get_text(3) != spec.template_hash || st.get_int(4) != spec.sample_count)
    throw Error(db_->path().string(), "evaluation " + std::to_string(st.get_int(0)) + " (" + spec.task + ", " +
                                          std::to_string(spec.shots) + "-shot) of run " + std::to_string(run_id) +
                                          " has a different template or sample count than this command: "
                                          "pass --new-run to start a fresh run");
  return EvaluationRow{st.get_int(0), st.get_text(1), st.get_double(2)};
}

void ResultsStore::reopen_evaluation(std::int64_t evaluation_id) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_, "UPDATE evaluations SET status = 'running', ended_at = NULL WHERE id = ?1");
  st.bind(1, evaluation_id).run();
  expect_one_row_changed(*db_, "evaluation", evaluation_id);
  tx.commit();
}

std::vector<std::string> ResultsStore::sample_keys(std::int64_t evaluation_id) {
  sql::Statement st(*db_, "SELECT sample_key FROM samples WHERE evaluation_id = ?1");
  st.bind(1, evaluation_id);
  std::vector<std::string> keys;
  while (st.step()) keys.push_back(st.get_text(0));
  return keys;
}

std::optional<CachedResponse> ResultsStore::find_response(const std::string& key) {
  sql::Statement st(*db_, "SELECT raw_output, stop_reason, new_tokens FROM responses WHERE key = ?1");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return CachedResponse{st.get_text(0), st.get_text(1), st.get_int(2)};
}

void ResultsStore::add_responses(std::span<const std::pair<std::string, CachedResponse>> responses) {
  sql::Transaction tx(*db_);
  sql::Statement st(*db_,
                    "INSERT INTO responses (key, raw_output, stop_reason, new_tokens) VALUES (?1, ?2, ?3, ?4) "
                    "ON CONFLICT (key) DO NOTHING");
  for (const auto& [key, r] : responses)
    st.bind(1, key).bind(2, r.raw_output).bind(3, r.stop_reason).bind(4, r.new_tokens).run();
  tx.commit();
}

std::vector<std::pair<std::string, CachedResponse>> ResultsStore::all_responses() {
  sql::Statement st(*db_, "SELECT key, raw_output, stop_reason, new_tokens FROM responses ORDER BY key");
  std::vector<std::pair<std::string, CachedResponse>> out;
  while (st.step()) out.push_back({st.get_text(0), {st.get_text(1), st.get_text(2), st.get_int(3)}});
  return out;
}

std::vector<RunSummary> ResultsStore::list_runs() {
  sql::Statement st(*db_, std::string("SELECT ") + kRunSummaryColumns +
                              " FROM runs r JOIN models m ON m.id = r.model_id ORDER BY r.id");
  std::vector<RunSummary> runs;
  while (st.step()) runs.push_back(read_run_summary(st));
  return runs;
}

std::optional<RunDetail> ResultsStore::find_run(std::int64_t run_id) {
  sql::Statement st(*db_, std::string("SELECT ") + kRunSummaryColumns +
                              ", r.argv, r.seeds, r.settings FROM runs r JOIN models m ON m.id = r.model_id "
                              "WHERE r.id = ?1");
  st.bind(1, run_id);
  if (!st.step()) return std::nullopt;
  RunDetail run;
  run.summary = read_run_summary(st);
  const std::string where = "run " + std::to_string(run_id);
  run.argv = parse_string_list(*db_, st.get_text(kRunSummaryColumnCount), where + " argv");
  run.seeds = parse_json_column(*db_, st.get_text(kRunSummaryColumnCount + 1), where + " seeds");
  run.settings = parse_json_column(*db_, st.get_text(kRunSummaryColumnCount + 2), where + " settings");

  sql::Statement evals(*db_,
                       "SELECT e.id, e.task, e.split, e.shots, e.trial, e.template_id, e.template_hash, "
                       "e.sample_count, e.status, e.wall_seconds, "
                       "(SELECT count(*) FROM samples s WHERE s.evaluation_id = e.id), e.postprocess, "
                       "(SELECT count(*) FROM samples s WHERE s.evaluation_id = e.id AND s.status = 'failed'), "
                       "(SELECT count(*) FROM samples s WHERE s.evaluation_id = e.id AND s.cached = 1) "
                       "FROM evaluations e WHERE e.run_id = ?1 ORDER BY e.task, e.shots, e.trial, e.id");
  evals.bind(1, run_id);
  sql::Statement metrics(*db_,
                         "SELECT name, value, ci_low, ci_high, n FROM metrics WHERE evaluation_id = ?1 ORDER BY id");
  while (evals.step()) {
    EvaluationSummary e;
    e.id = evals.get_int(0);
    e.spec = {evals.get_text(1),
              evals.get_text(2),
              static_cast<int>(evals.get_int(3)),
              static_cast<int>(evals.get_int(4)),
              evals.get_text(5),
              evals.get_text(6),
              evals.get_int(7),
              evals.get_text(11)};
    e.status = evals.get_text(8);
    e.wall_seconds = evals.get_optional_double(9);
    e.samples_done = evals.get_int(10);
    e.samples_failed = evals.get_int(12);
    e.samples_cached = evals.get_int(13);
    metrics.bind(1, e.id);
    while (metrics.step())
      e.metrics.push_back({metrics.get_text(0), metrics.get_double(1), metrics.get_optional_double(2),
                           metrics.get_optional_double(3), metrics.get_int(4)});
    metrics.reset();
    run.evaluations.push_back(std::move(e));
  }
  return run;
}

std::vector<SampleResult> ResultsStore::samples(std::int64_t evaluation_id) {
  sql::Statement st(*db_,
                    "SELECT sample_key, demo_keys, prompt_hash, raw_output, prediction, scores, latency_ms, "
                    "coalesce(position, id), ground_truth, status, error, response_key, cached, query "
                    "FROM samples WHERE evaluation_id = ?1 ORDER BY coalesce(position, id), id");
  st.bind(1, evaluation_id);
  std::vector<SampleResult> out;
  while (st.step()) {
    SampleResult s;
    s.key = st.get_text(0);
    const std::string where = "sample '" + s.key + "' of evaluation " + std::to_string(evaluation_id);
    s.demo_keys = parse_string_list(*db_, st.get_text(1), where + " demo_keys");
    s.prompt_hash = st.get_text(2);
    s.raw_output = st.get_text(3);
    s.prediction = st.get_text(4);
    s.scores = parse_json_column(*db_, st.get_text(5), where + " scores");
    s.latency_ms = st.get_optional_double(6);
    s.position = st.get_int(7);
    s.ground_truth = parse_json_column(*db_, st.get_text(8), where + " ground_truth");
    s.failed = st.get_text(9) == "failed";
    s.error = st.get_text(10);
    s.response_key = st.get_text(11);
    s.cached = st.get_int(12) != 0;
    s.query = parse_json_column(*db_, st.get_text(13), where + " query");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace mmh::store
