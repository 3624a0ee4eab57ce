-- Repositories added over the API (POST /api/v1/repositories), followed (polled, webhooks
-- accepted) beside those of the settings file or 'tagflow repo add'. No credential is kept here:
-- password_secret names a secret of the secrets table (kind/scope/NAME), opened when a transport
-- needs it.
CREATE TABLE repositories (
  name            TEXT   NOT NULL PRIMARY KEY,
  url             TEXT   NOT NULL UNIQUE,
  username        TEXT,
  password_secret TEXT,
  added_by        TEXT   NOT NULL,
  added_at        BIGINT NOT NULL
);
