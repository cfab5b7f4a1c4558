-- Frozen copy of an mmharness results database at schema version 1 (sqlite3 .dump),
-- with one run. Do not edit: tests check that later versions still read it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE models (
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL,
  family      TEXT NOT NULL,
  digest      TEXT NOT NULL,
  dtype       TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (digest, dtype, path)
);
INSERT INTO models VALUES(1,'/models/llava-1.5-7b','llava','sha256:aaaa','bf16','2026-11-01T10:00:00.000Z');
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
INSERT INTO runs VALUES(1,1,'v1 run','completed','2026-11-01T10:00:01.000Z','2026-11-01T10:05:00.000Z','["mmharness","run"]','0.1.0','abc123','node1','cuda:0','{"demos":7}','{}');
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
INSERT INTO evaluations VALUES(1,1,'vqav2','val',4,0,'fewshot','sha256:bbbb',2,'completed','2026-11-01T10:00:02.000Z','2026-11-01T10:04:00.000Z',238.0);
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
INSERT INTO samples VALUES(1,1,'262148000','["1","2","3","4"]','sha256:c1','yes','yes','{"accuracy":1.0}',80.500000000000000001);
INSERT INTO samples VALUES(2,1,'262148001','["5","6","7","8"]','sha256:c2','two dogs','2','{"accuracy":0.111}',91.0);
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
INSERT INTO metrics VALUES(1,1,'accuracy',55.500000000000000001,11.099999999999999644,100.0,2);
CREATE INDEX runs_by_model ON runs(model_id);
COMMIT;
PRAGMA user_version = 1;
