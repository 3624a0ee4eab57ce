-- Promotion requests (version 3): promotions to an environment that wait for approvals. Ids are
-- counted by the store across all requests.

CREATE TABLE promotions (
  id                 BIGINT  NOT NULL PRIMARY KEY,
  repository         TEXT    NOT NULL,
  environment        TEXT    NOT NULL,
  release_name       TEXT    NOT NULL,
  source             TEXT    NOT NULL,
  version            TEXT    NOT NULL,
  commit_id          TEXT    NOT NULL,
  image              TEXT,
  image_digest       TEXT,
  author             TEXT,
  target_branch      TEXT    NOT NULL,
  promotion_branch   TEXT    NOT NULL,
  head_commit        TEXT    NOT NULL,
  required_approvals INTEGER NOT NULL,
  roles              TEXT    NOT NULL,
  state              TEXT    NOT NULL,
  message            TEXT    NOT NULL,
  merged_commit      TEXT,
  created_at         BIGINT  NOT NULL,
  updated_at         BIGINT  NOT NULL
);

CREATE INDEX promotions_by_environment ON promotions (repository, environment, state);

-- The values a request sets, in order.
CREATE TABLE promotion_changes (
  promotion_id BIGINT  NOT NULL REFERENCES promotions (id),
  position     INTEGER NOT NULL,
  path         TEXT    NOT NULL,
  value        TEXT    NOT NULL,
  PRIMARY KEY (promotion_id, position)
);

-- One row per approver: the key keeps an approver from counting twice.
CREATE TABLE promotion_approvals (
  promotion_id BIGINT NOT NULL REFERENCES promotions (id),
  approver     TEXT   NOT NULL,
  role         TEXT,
  at           BIGINT NOT NULL,
  PRIMARY KEY (promotion_id, approver)
);
