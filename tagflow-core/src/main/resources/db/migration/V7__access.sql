-- Who may use the server: API tokens, local users, web sessions, and the audit log of what they
-- did. Secrets are kept as digests only: a token or session id as the SHA-256 of its 256 random
-- bits (hex), a password as its Argon2id hash with salt and parameters; never a value in clear.
CREATE TABLE api_tokens (
  token_id   TEXT   NOT NULL PRIMARY KEY,
  name       TEXT   NOT NULL UNIQUE,
  owner      TEXT   NOT NULL,
  digest     TEXT   NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);

CREATE TABLE users (
  name          TEXT   NOT NULL PRIMARY KEY,
  password_hash TEXT   NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
  digest       TEXT   NOT NULL PRIMARY KEY,
  user_name    TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_name);

-- One row per state-changing request, login and token change; never updated or deleted by Tagflow.
-- seq orders entries of the same millisecond (two PostgreSQL writers may share one: the order of
-- those two is then arbitrary, nothing else).
CREATE TABLE audit_log (
  entry_id TEXT   NOT NULL PRIMARY KEY,
  seq      BIGINT NOT NULL,
  at       BIGINT NOT NULL,
  actor    TEXT   NOT NULL,
  action   TEXT   NOT NULL,
  object   TEXT   NOT NULL,
  address  TEXT   NOT NULL,
  result   TEXT   NOT NULL
);

CREATE INDEX audit_log_by_time ON audit_log (at, seq);
