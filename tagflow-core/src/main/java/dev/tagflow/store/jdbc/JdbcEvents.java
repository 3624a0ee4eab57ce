package dev.tagflow.store.jdbc;

import dev.tagflow.store.Event;
import dev.tagflow.store.EventLog;
import dev.tagflow.store.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The event log in the {@code events} table, the last N per application. */
final class JdbcEvents implements EventLog {

  private final Database database;
  private final int limit;

  JdbcEvents(Database database, int limit) {
    this.database = database;
    this.limit = limit;
  }

  @Override
  public void append(Event event) {
    database.write(
        "record an event of " + event.application(),
        connection -> {
          long seq;
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE application = ?")) {
            query.setString(1, event.application());
            try (ResultSet rows = query.executeQuery()) {
              rows.next();
              seq = rows.getLong(1);
            }
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO events (application, seq, at, type, reason, message)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.application());
            insert.setLong(2, seq);
            insert.setLong(3, event.time().toEpochMilli());
            insert.setString(4, event.type().name());
            insert.setString(5, event.reason());
            insert.setString(6, event.message());
            insert.executeUpdate();
          }
          try (PreparedStatement prune =
              connection.prepareStatement(
                  "DELETE FROM events WHERE application = ? AND seq <= ?")) {
            prune.setString(1, event.application());
            prune.setLong(2, seq - limit);
            return prune.executeUpdate();
          }
        });
  }

  @Override
  public List<Event> recent(String application, int max) {
    return database.read(
        "read the events of " + application,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT application, at, type, reason, message FROM events"
                      + " WHERE application = ? ORDER BY seq DESC LIMIT ?")) {
            query.setString(1, application);
            query.setInt(2, max);
            try (ResultSet rows = query.executeQuery()) {
              List<Event> events = new ArrayList<>();
              while (rows.next()) {
                events.add(
                    new Event(
                        rows.getString("application"),
                        Rows.time(rows, "at"),
                        EventType.valueOf(rows.getString("type")),
                        rows.getString("reason"),
                        rows.getString("message")));
              }
              return events;
            }
          }
        });
  }

  static void removeAll(Connection connection, String application) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM events WHERE application = ?")) {
      delete.setString(1, application);
      delete.executeUpdate();
    }
  }
}
