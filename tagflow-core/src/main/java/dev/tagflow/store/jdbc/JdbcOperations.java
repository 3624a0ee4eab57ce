package dev.tagflow.store.jdbc;

import dev.tagflow.store.InFlightOperation;
import dev.tagflow.store.OperationStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Operations in flight in the {@code operations} table. */
final class JdbcOperations implements OperationStore {

  private final Database database;
  private final Clock clock;

  JdbcOperations(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public void save(String application, byte[] state) {
    long now = clock.millis();
    database.write(
        "save the operation of " + application,
        connection -> {
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  "INSERT INTO operations (application, state, saved_at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (application) DO UPDATE SET state = excluded.state,"
                      + " saved_at = excluded.saved_at")) {
            upsert.setString(1, application);
            upsert.setBytes(2, state);
            upsert.setLong(3, now);
            return upsert.executeUpdate();
          }
        });
  }

  @Override
  public Optional<InFlightOperation> load(String application) {
    return database.read(
        "read the operation of " + application,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT application, state, saved_at FROM operations WHERE application = ?")) {
            query.setString(1, application);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(operation(rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean clear(String application) {
    return database.write(
        "clear the operation of " + application, connection -> clear(connection, application));
  }

  @Override
  public List<InFlightOperation> inFlight() {
    return database.read(
        "read the operations in flight",
        connection -> {
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT application, state, saved_at FROM operations ORDER BY application");
              ResultSet rows = query.executeQuery()) {
            List<InFlightOperation> all = new ArrayList<>();
            while (rows.next()) {
              all.add(operation(rows));
            }
            return all;
          }
        });
  }

  static boolean clear(Connection connection, String application) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM operations WHERE application = ?")) {
      delete.setString(1, application);
      return delete.executeUpdate() > 0;
    }
  }

  private static InFlightOperation operation(ResultSet row) throws SQLException {
    return new InFlightOperation(
        row.getString("application"), row.getBytes("state"), Rows.time(row, "saved_at"));
  }
}
