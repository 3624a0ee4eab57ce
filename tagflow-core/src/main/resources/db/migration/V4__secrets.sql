-- Secrets (tagflow secret set), sealed by the secret package before they reach the database:
-- AES-256-GCM with the key file of the data directory, the scope and name bound into each value,
-- so a row copied under another name or scope no longer opens. Never a value in clear.
CREATE TABLE secrets (
  scope      TEXT      NOT NULL,
  name       TEXT      NOT NULL,
  sealed     ${binary} NOT NULL,
  updated_at BIGINT    NOT NULL,
  PRIMARY KEY (scope, name)
);
