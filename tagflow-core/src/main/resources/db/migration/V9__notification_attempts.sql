-- Each request the notifier sent to a webhook (or the notification it dropped unsent), so the
-- failures people look for outlive a restart. The webhook is named, never its URL nor its key; the
-- last N per webhook are kept (recording one prunes the older ones in the same transaction).
CREATE TABLE notification_attempts (
  project      TEXT    NOT NULL,
  webhook      TEXT    NOT NULL,
  seq          BIGINT  NOT NULL,
  delivery_id  TEXT    NOT NULL,
  event        TEXT    NOT NULL,
  subject_kind TEXT    NOT NULL,
  subject_name TEXT    NOT NULL,
  attempt      INTEGER NOT NULL,
  outcome      TEXT    NOT NULL,
  status       INTEGER,
  detail       TEXT    NOT NULL,
  at           BIGINT  NOT NULL,
  PRIMARY KEY (project, webhook, seq)
);

CREATE INDEX notification_attempts_by_time ON notification_attempts (at);
