-- A run that waits for its turn is stored QUEUED with what it needs to start after a restart
-- (mirror, dispatch inputs, force) as JSON the pipeline owns; NULL for the runs before.
ALTER TABLE runs ADD COLUMN request TEXT;

-- The images a run's tagflow/image steps pushed: tag -> commit -> digest. A Release (what an
-- application runs once Healthy) carries the same digest; the digest is the link.
CREATE TABLE built_images (
  run_id      TEXT    NOT NULL,
  position    INTEGER NOT NULL,
  repository  TEXT    NOT NULL,
  ref         TEXT    NOT NULL,
  commit_id   TEXT    NOT NULL,
  image       TEXT    NOT NULL,
  digest      TEXT    NOT NULL,
  tags        TEXT    NOT NULL,
  built_at    BIGINT  NOT NULL,
  PRIMARY KEY (run_id, position)
);

CREATE INDEX built_images_by_digest ON built_images (digest);
CREATE INDEX built_images_by_ref ON built_images (repository, ref);

CREATE INDEX release_images_by_digest ON release_images (digest);
