package dev.tagflow.store.jdbc;

import dev.tagflow.store.NotificationAttempt;
import dev.tagflow.store.NotificationLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The notification attempts in the {@code notification_attempts} table, the last N per webhook. */
final class JdbcNotifications implements NotificationLog {

  private static final String COLUMNS =
      "delivery_id, project, webhook, event, subject_kind, subject_name, attempt, outcome, status,"
          + " detail, at";

  private final Database database;

  JdbcNotifications(Database database) {
    this.database = database;
  }

  @Override
  public void record(NotificationAttempt attempt, int keepPerWebhook) {
    if (keepPerWebhook < 1) {
      throw new IllegalArgumentException("keepPerWebhook must be at least 1");
    }
    database.write(
        "record a notification attempt of webhook " + attempt.project() + "/" + attempt.webhook(),
        connection -> {
          long seq;
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT COALESCE(MAX(seq), 0) + 1 FROM notification_attempts"
                      + " WHERE project = ? AND webhook = ?")) {
            query.setString(1, attempt.project());
            query.setString(2, attempt.webhook());
            try (ResultSet rows = query.executeQuery()) {
              rows.next();
              seq = rows.getLong(1);
            }
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO notification_attempts (seq, "
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, seq);
            insert.setString(2, attempt.delivery());
            insert.setString(3, attempt.project());
            insert.setString(4, attempt.webhook());
            insert.setString(5, attempt.event());
            insert.setString(6, attempt.subjectKind());
            insert.setString(7, attempt.subjectName());
            insert.setInt(8, attempt.attempt());
            insert.setString(9, attempt.outcome().name());
            if (attempt.status().isPresent()) {
              insert.setInt(10, attempt.status().get());
            } else {
              insert.setNull(10, Types.INTEGER);
            }
            insert.setString(11, attempt.detail());
            insert.setLong(12, attempt.at().toEpochMilli());
            insert.executeUpdate();
          }
          try (PreparedStatement prune =
              connection.prepareStatement(
                  "DELETE FROM notification_attempts WHERE project = ? AND webhook = ? AND seq <= ?")) {
            prune.setString(1, attempt.project());
            prune.setString(2, attempt.webhook());
            prune.setLong(3, seq - keepPerWebhook);
            return prune.executeUpdate();
          }
        });
  }

  @Override
  public List<NotificationAttempt> recent(String project, String webhook, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return database.read(
        "read the notification attempts of webhook " + project + "/" + webhook,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM notification_attempts WHERE project = ? AND webhook = ?"
                      + " ORDER BY seq DESC LIMIT ?")) {
            query.setString(1, project);
            query.setString(2, webhook);
            query.setInt(3, limit);
            return attempts(query);
          }
        });
  }

  @Override
  public List<NotificationAttempt> recent(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return database.read(
        "read the notification attempts",
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM notification_attempts ORDER BY at DESC, seq DESC LIMIT ?")) {
            query.setInt(1, limit);
            return attempts(query);
          }
        });
  }

  private static List<NotificationAttempt> attempts(PreparedStatement query) throws SQLException {
    List<NotificationAttempt> found = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        int status = rows.getInt("status");
        Optional<Integer> answered = rows.wasNull() ? Optional.empty() : Optional.of(status);
        found.add(
            new NotificationAttempt(
                rows.getString("delivery_id"),
                rows.getString("project"),
                rows.getString("webhook"),
                rows.getString("event"),
                rows.getString("subject_kind"),
                rows.getString("subject_name"),
                rows.getInt("attempt"),
                NotificationAttempt.Outcome.valueOf(rows.getString("outcome")),
                answered,
                rows.getString("detail"),
                Rows.time(rows, "at")));
      }
    }
    return found;
  }
}
