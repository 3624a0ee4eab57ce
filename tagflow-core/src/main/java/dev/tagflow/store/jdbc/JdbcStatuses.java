package dev.tagflow.store.jdbc;

import dev.tagflow.store.StatusSnapshot;
import dev.tagflow.store.StatusStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Status documents in the {@code application_status} table. */
final class JdbcStatuses implements StatusStore {

  private static final String COLUMNS =
      "application, format_version, document, generation, updated_at";

  private final Database database;
  private final Clock clock;

  JdbcStatuses(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public StatusSnapshot put(String application, int formatVersion, String json) {
    long now = clock.millis();
    return database.write(
        "write the status of " + application,
        connection -> {
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  "INSERT INTO application_status (application, format_version, generation,"
                      + " document, updated_at) VALUES (?, ?, 1, ?, ?)"
                      + " ON CONFLICT (application) DO UPDATE SET"
                      + " format_version = excluded.format_version,"
                      + " generation = application_status.generation + 1,"
                      + " document = excluded.document, updated_at = excluded.updated_at")) {
            upsert.setString(1, application);
            upsert.setInt(2, formatVersion);
            upsert.setString(3, json);
            upsert.setLong(4, now);
            upsert.executeUpdate();
          }
          return select(connection, application).orElseThrow();
        });
  }

  @Override
  public Optional<StatusSnapshot> get(String application) {
    return database.read(
        "read the status of " + application, connection -> select(connection, application));
  }

  @Override
  public List<StatusSnapshot> all() {
    return database.read(
        "read the applications' statuses",
        connection -> {
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT " + COLUMNS + " FROM application_status ORDER BY application");
              ResultSet rows = query.executeQuery()) {
            List<StatusSnapshot> all = new ArrayList<>();
            while (rows.next()) {
              all.add(snapshot(rows));
            }
            return all;
          }
        });
  }

  @Override
  public boolean delete(String application) {
    return database.write(
        "delete the status of " + application, connection -> delete(connection, application));
  }

  static boolean delete(Connection connection, String application) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM application_status WHERE application = ?")) {
      delete.setString(1, application);
      return delete.executeUpdate() > 0;
    }
  }

  private static Optional<StatusSnapshot> select(Connection connection, String application)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM application_status WHERE application = ?")) {
      query.setString(1, application);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(snapshot(rows)) : Optional.empty();
      }
    }
  }

  private static StatusSnapshot snapshot(ResultSet row) throws SQLException {
    return new StatusSnapshot(
        row.getString("application"),
        row.getInt("format_version"),
        row.getString("document"),
        row.getLong("generation"),
        Rows.time(row, "updated_at"));
  }
}
