-- Pipeline runs: one row per run of a workflow; its jobs and steps as one JSON document written
-- when it ends (the pipeline package owns its shape), its log a file in the data directory.
CREATE TABLE runs (
  run_id      TEXT   NOT NULL PRIMARY KEY,
  repository  TEXT   NOT NULL,
  workflow    TEXT   NOT NULL,
  ref         TEXT   NOT NULL,
  commit_id   TEXT   NOT NULL,
  event       TEXT   NOT NULL,
  status      TEXT   NOT NULL,
  started_at  BIGINT NOT NULL,
  finished_at BIGINT,
  log_path    TEXT   NOT NULL,
  result      TEXT
);

CREATE INDEX runs_by_ref ON runs (repository, workflow, ref);
CREATE INDEX runs_by_status ON runs (status);
