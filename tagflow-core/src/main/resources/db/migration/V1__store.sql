-- Tagflow's store, version 1. One schema for SQLite and PostgreSQL: only the binary column type
-- differs (${binary} is BLOB on SQLite, BYTEA on PostgreSQL). Times are epoch milliseconds, ids are
-- counted per application by the store, so no auto-increment syntax is needed.

-- The controller's status per application, as the JSON document it writes.
CREATE TABLE application_status (
  application    TEXT    NOT NULL PRIMARY KEY,
  format_version INTEGER NOT NULL,
  generation     BIGINT  NOT NULL,
  document       TEXT    NOT NULL,
  updated_at     BIGINT  NOT NULL
);

-- Rendered manifests, content-addressed (SHA-256, lowercase hex): an unchanged application's
-- history entries all point at one copy.
CREATE TABLE manifests (
  hash      TEXT      NOT NULL PRIMARY KEY,
  content   ${binary} NOT NULL,
  size      BIGINT    NOT NULL,
  stored_at BIGINT    NOT NULL
);

-- Releases are written once and never changed.
CREATE TABLE releases (
  id             TEXT   NOT NULL PRIMARY KEY,
  tag            TEXT,
  commit_id      TEXT   NOT NULL,
  chart_name     TEXT,
  chart_version  TEXT,
  manifests_hash TEXT   NOT NULL,
  created_at     BIGINT NOT NULL
);

CREATE INDEX releases_by_commit ON releases (commit_id);

CREATE TABLE release_images (
  release_id TEXT    NOT NULL REFERENCES releases (id),
  position   INTEGER NOT NULL,
  reference  TEXT    NOT NULL,
  digest     TEXT,
  PRIMARY KEY (release_id, position)
);

-- One row per sync; the last N per application are kept. The foreign key keeps an entry from
-- pointing at manifests that are not stored.
CREATE TABLE sync_history (
  application    TEXT   NOT NULL,
  id             BIGINT NOT NULL,
  commit_id      TEXT   NOT NULL,
  requested_ref  TEXT   NOT NULL,
  release_id     TEXT,
  manifests_hash TEXT   NOT NULL REFERENCES manifests (hash),
  change_set     TEXT   NOT NULL,
  sync_trigger   TEXT   NOT NULL,
  result         TEXT   NOT NULL,
  health_after   TEXT,
  message        TEXT   NOT NULL,
  started_at     BIGINT NOT NULL,
  finished_at    BIGINT,
  PRIMARY KEY (application, id)
);

CREATE INDEX sync_history_by_manifests ON sync_history (manifests_hash);

-- The event log, bounded per application.
CREATE TABLE events (
  application TEXT   NOT NULL,
  seq         BIGINT NOT NULL,
  at          BIGINT NOT NULL,
  type        TEXT   NOT NULL,
  reason      TEXT   NOT NULL,
  message     TEXT   NOT NULL,
  PRIMARY KEY (application, seq)
);

-- The differ's memo: verdicts that spare a dry-run after a restart.
CREATE TABLE diff_memo (
  memo_key   TEXT      NOT NULL PRIMARY KEY,
  memo_value ${binary} NOT NULL,
  written_at BIGINT    NOT NULL
);

CREATE INDEX diff_memo_by_written_at ON diff_memo (written_at);

-- Sync operations in flight (their saved SyncState), resumed after a crash.
CREATE TABLE operations (
  application TEXT      NOT NULL PRIMARY KEY,
  state       ${binary} NOT NULL,
  saved_at    BIGINT    NOT NULL
);
