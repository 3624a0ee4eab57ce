package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncHistory;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Sync history in the {@code sync_history} table, pruned to the last N per application. */
final class JdbcHistory implements SyncHistory {

  private static final String COLUMNS =
      "application, id, commit_id, requested_ref, release_id, manifests_hash, change_set,"
          + " sync_trigger, result, health_after, message, started_at, finished_at";

  private final Database database;
  private final int limit;

  JdbcHistory(Database database, int limit) {
    this.database = database;
    this.limit = limit;
  }

  @Override
  public HistoryEntry record(String application, SyncRecord sync) {
    return database.write(
        "record a sync of " + application,
        connection -> {
          if (!JdbcManifests.exists(connection, sync.manifestsHash())) {
            throw TagflowException.failed(
                "cannot record the sync of "
                    + application
                    + " at "
                    + sync.commit()
                    + ": its manifests "
                    + sync.manifestsHash()
                    + " are not stored; store them (ManifestStore.put) before recording the sync");
          }
          long id = nextId(connection, application);
          HistoryEntry entry = new HistoryEntry(application, id, sync);
          insert(connection, entry);
          prune(connection, application);
          return entry;
        });
  }

  @Override
  public boolean update(HistoryEntry entry) {
    SyncRecord sync = entry.sync();
    return database.write(
        "update sync " + entry.id() + " of " + entry.application(),
        connection -> {
          Optional<HistoryEntry> stored = select(connection, entry.application(), entry.id());
          if (stored.isEmpty()) {
            return false;
          }
          SyncRecord was = stored.get().sync();
          if (!was.commit().equals(sync.commit())
              || !was.requestedRef().equals(sync.requestedRef())
              || !was.manifestsHash().equals(sync.manifestsHash())
              || was.trigger() != sync.trigger()
              || was.startedAt().toEpochMilli() != sync.startedAt().toEpochMilli()) {
            throw new IllegalArgumentException(
                "sync "
                    + entry.id()
                    + " of "
                    + entry.application()
                    + " was recorded with another revision, manifests, trigger or start; only"
                    + " its outcome can change");
          }
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE sync_history SET release_id = ?, change_set = ?, result = ?,"
                      + " health_after = ?, message = ?, finished_at = ?"
                      + " WHERE application = ? AND id = ?")) {
            Rows.setText(update, 1, sync.releaseId());
            update.setString(2, sync.changeSetJson());
            update.setString(3, sync.result().name());
            Rows.setText(update, 4, sync.healthAfter());
            update.setString(5, sync.message());
            Rows.setTime(update, 6, sync.finishedAt());
            update.setString(7, entry.application());
            update.setLong(8, entry.id());
            return update.executeUpdate() > 0;
          }
        });
  }

  @Override
  public Optional<HistoryEntry> get(String application, long id) {
    return database.read(
        "read sync " + id + " of " + application,
        connection -> select(connection, application, id));
  }

  @Override
  public List<HistoryEntry> list(String application) {
    return database.read(
        "read the sync history of " + application,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM sync_history WHERE application = ? ORDER BY id DESC")) {
            query.setString(1, application);
            try (ResultSet rows = query.executeQuery()) {
              List<HistoryEntry> entries = new ArrayList<>();
              while (rows.next()) {
                entries.add(entry(rows));
              }
              return entries;
            }
          }
        });
  }

  /** Removes all of the application's entries, and the manifests only they used. */
  static void removeAll(Connection connection, String application) throws SQLException {
    removeUpTo(connection, application, Long.MAX_VALUE);
  }

  private void prune(Connection connection, String application) throws SQLException {
    // The id of the newest entry beyond the limit: it and everything older go.
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT id FROM sync_history WHERE application = ? ORDER BY id DESC LIMIT 1 OFFSET ?")) {
      query.setString(1, application);
      query.setInt(2, limit);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          removeUpTo(connection, application, rows.getLong(1));
        }
      }
    }
  }

  private static void removeUpTo(Connection connection, String application, long lastId)
      throws SQLException {
    Set<String> hashes = new LinkedHashSet<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT DISTINCT manifests_hash FROM sync_history WHERE application = ? AND id <= ?")) {
      query.setString(1, application);
      query.setLong(2, lastId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          hashes.add(rows.getString(1));
        }
      }
    }
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM sync_history WHERE application = ? AND id <= ?")) {
      delete.setString(1, application);
      delete.setLong(2, lastId);
      delete.executeUpdate();
    }
    JdbcManifests.removeUnused(connection, hashes);
  }

  private static long nextId(Connection connection, String application) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM sync_history WHERE application = ?")) {
      query.setString(1, application);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void insert(Connection connection, HistoryEntry entry) throws SQLException {
    SyncRecord sync = entry.sync();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO sync_history ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, entry.application());
      insert.setLong(2, entry.id());
      insert.setString(3, sync.commit());
      insert.setString(4, sync.requestedRef());
      Rows.setText(insert, 5, sync.releaseId());
      insert.setString(6, sync.manifestsHash());
      insert.setString(7, sync.changeSetJson());
      insert.setString(8, sync.trigger().name());
      insert.setString(9, sync.result().name());
      Rows.setText(insert, 10, sync.healthAfter());
      insert.setString(11, sync.message());
      insert.setLong(12, sync.startedAt().toEpochMilli());
      Rows.setTime(insert, 13, sync.finishedAt());
      insert.executeUpdate();
    }
  }

  private static Optional<HistoryEntry> select(Connection connection, String application, long id)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM sync_history WHERE application = ? AND id = ?")) {
      query.setString(1, application);
      query.setLong(2, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(entry(rows)) : Optional.empty();
      }
    }
  }

  private static HistoryEntry entry(ResultSet row) throws SQLException {
    return new HistoryEntry(
        row.getString("application"),
        row.getLong("id"),
        new SyncRecord(
            row.getString("commit_id"),
            row.getString("requested_ref"),
            Rows.text(row, "release_id"),
            row.getString("manifests_hash"),
            row.getString("change_set"),
            SyncTrigger.valueOf(row.getString("sync_trigger")),
            SyncResult.valueOf(row.getString("result")),
            Rows.text(row, "health_after"),
            row.getString("message"),
            Rows.time(row, "started_at"),
            Rows.optionalTime(row, "finished_at")));
  }
}
