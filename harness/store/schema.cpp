#include "harness/store/schema.h"

#include <string>

#include "common/error.h"
#include "harness/store/sqlite.h"

namespace mmh::store {
namespace {

// Version 1: models, runs, evaluations, samples, metrics.
// Times are ISO-8601 UTC text; structured values (argv, seeds, settings,
// demo keys, scores) are JSON text, readable with SQLite's json functions.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE models (
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL,
  family      TEXT NOT NULL,
  digest      TEXT NOT NULL,
  dtype       TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (digest, dtype, path)
);

CREATE TABLE runs (
  id               INTEGER PRIMARY KEY,
  model_id         INTEGER NOT NULL REFERENCES models(id),
  name             TEXT,
  status           TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  started_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ended_at         TEXT,
  argv             TEXT NOT NULL DEFAULT '[]',
  harness_version  TEXT NOT NULL,
  git_revision     TEXT NOT NULL,
  host             TEXT NOT NULL,
  device           TEXT NOT NULL,
  seeds            TEXT NOT NULL DEFAULT '{}',
  settings         TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE evaluations (
  id             INTEGER PRIMARY KEY,
  run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  task           TEXT NOT NULL,
  split          TEXT NOT NULL,
  shots          INTEGER NOT NULL CHECK (shots >= 0),
  trial          INTEGER NOT NULL DEFAULT 0 CHECK (trial >= 0),
  template_id    TEXT NOT NULL,
  template_hash  TEXT NOT NULL,
  sample_count   INTEGER NOT NULL CHECK (sample_count >= 0),
  status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  started_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ended_at       TEXT,
  wall_seconds   REAL,
  UNIQUE (run_id, task, split, shots, trial)
);

CREATE TABLE samples (
  id             INTEGER PRIMARY KEY,
  evaluation_id  INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  sample_key     TEXT NOT NULL,
  demo_keys      TEXT NOT NULL DEFAULT '[]',
  prompt_hash    TEXT NOT NULL,
  raw_output     TEXT NOT NULL,
  prediction     TEXT NOT NULL,
  scores         TEXT NOT NULL DEFAULT '{}',
  latency_ms     REAL,
  UNIQUE (evaluation_id, sample_key)
);

CREATE TABLE metrics (
  id             INTEGER PRIMARY KEY,
  evaluation_id  INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  value          REAL NOT NULL,
  ci_low         REAL,
  ci_high        REAL,
  n              INTEGER NOT NULL CHECK (n >= 0),
  UNIQUE (evaluation_id, name)
);

CREATE INDEX runs_by_model ON runs(model_id);
)sql";

// Version 2 (`mmharness run`): what resuming, sharding, merging and re-scoring
// need. A run's fingerprint identifies the settings that define its results;
// samples carry their position in the evaluation, their ground truth (so a
// merge or a re-score needs no data root), whether generation failed, and the
// response-cache key; the cache itself is the `responses` table.
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE runs ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN shard_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN shard_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT '';

ALTER TABLE evaluations ADD COLUMN postprocess TEXT NOT NULL DEFAULT '';

ALTER TABLE samples ADD COLUMN position INTEGER;
ALTER TABLE samples ADD COLUMN ground_truth TEXT NOT NULL DEFAULT '{}';
ALTER TABLE samples ADD COLUMN status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'failed'));
ALTER TABLE samples ADD COLUMN error TEXT;
ALTER TABLE samples ADD COLUMN response_key TEXT;
ALTER TABLE samples ADD COLUMN cached INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1));
ALTER TABLE samples ADD COLUMN query TEXT NOT NULL DEFAULT '{}';

CREATE TABLE responses (
  key          TEXT PRIMARY KEY,
  raw_output   TEXT NOT NULL,
  stop_reason  TEXT NOT NULL,
  new_tokens   INTEGER NOT NULL CHECK (new_tokens >= 0),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX runs_by_fingerprint ON runs(fingerprint, shard_index, shard_count);
)sql";

constexpr Migration kMigrations[] = {
    {1, "create models, runs, evaluations, samples, metrics", kSchemaV1},
    {2, "add run fingerprints and shards, sample ground truth and status, the response cache", kSchemaV2},
};

bool has_user_tables(sql::Database& db) {
  sql::Statement st(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  st.step();
  return st.get_int(0) > 0;
}

}  // namespace

std::span<const Migration> schema_migrations() { return kMigrations; }
int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

void migrate(sql::Database& db, std::span<const Migration> migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  const std::string file = db.path().string();
  auto check_version = [&](int version) {
    if (version > latest)
      throw Error(file, "was written by a newer mmharness (schema version " + std::to_string(version) +
                            "; this build reads up to " + std::to_string(latest) + "): upgrade mmharness to read it");
  };
  int version = db.user_version();
  check_version(version);
  if (version == latest) return;

  // WAL lets readers (a report, `runs`) proceed while a run writes. It is a
  // property of the file, set once, outside any transaction.
  db.exec("PRAGMA journal_mode = WAL;");
  for (const Migration& step : migrations) {
    sql::Transaction tx(db);
    // Re-read under the write lock: another process may have migrated meanwhile.
    version = db.user_version();
    check_version(version);
    if (step.version <= version) continue;
    if (version == 0 && has_user_tables(db))
      throw Error(file, "is an SQLite database of another application (it has tables but no mmharness schema version)");
    try {
      db.exec(step.sql);
      db.exec("PRAGMA user_version = " + std::to_string(step.version) + ";");
      tx.commit();
    } catch (const Error& e) {
      throw Error(file, "schema migration to version " + std::to_string(step.version) + " (" + step.description +
                            ") failed, database left at version " + std::to_string(version) + ": " + e.what());
    }
  }
}

}  // namespace mmh::store
