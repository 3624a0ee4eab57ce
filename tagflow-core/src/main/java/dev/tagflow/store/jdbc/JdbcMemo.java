package dev.tagflow.store.jdbc;

import dev.tagflow.store.DiffMemo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The differ's memo in the {@code diff_memo} table. */
final class JdbcMemo implements DiffMemo {

  // Well below both databases' limit on parameters per statement (SQLite 32766, PostgreSQL 65535).
  private static final int KEYS_PER_QUERY = 500;

  private final Database database;
  private final Clock clock;

  JdbcMemo(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    List<String> all = List.copyOf(keys);
    if (all.isEmpty()) {
      return Map.of();
    }
    return database.read(
        "read the differ's memo",
        connection -> {
          Map<String, byte[]> found = new HashMap<>();
          for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement query =
                connection.prepareStatement(
                    "SELECT memo_key, memo_value FROM diff_memo WHERE memo_key IN ("
                        + marks
                        + ")")) {
              for (int i = 0; i < chunk.size(); i++) {
                query.setString(i + 1, chunk.get(i));
              }
              try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                  found.put(rows.getString(1), rows.getBytes(2));
                }
              }
            }
          }
          return found;
        });
  }

  @Override
  public void putAll(Map<String, byte[]> values) {
    if (values.isEmpty()) {
      return;
    }
    long now = clock.millis();
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(values.entrySet());
    database.write(
        "write the differ's memo",
        connection -> {
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  "INSERT INTO diff_memo (memo_key, memo_value, written_at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (memo_key) DO UPDATE SET memo_value = excluded.memo_value,"
                      + " written_at = excluded.written_at")) {
            for (Map.Entry<String, byte[]> entry : entries) {
              upsert.setString(1, entry.getKey());
              upsert.setBytes(2, entry.getValue());
              upsert.setLong(3, now);
              upsert.addBatch();
            }
            return upsert.executeBatch().length;
          }
        });
  }

  @Override
  public int removeWrittenBefore(Instant writtenBefore) {
    return database.write(
        "prune the differ's memo",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM diff_memo WHERE written_at < ?")) {
            delete.setLong(1, writtenBefore.toEpochMilli());
            return delete.executeUpdate();
          }
        });
  }

  @Override
  public int keepNewest(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    return database.write(
        "bound the differ's memo",
        connection -> {
          try (PreparedStatement count =
                  connection.prepareStatement("SELECT COUNT(*) FROM diff_memo");
              ResultSet rows = count.executeQuery()) {
            rows.next();
            if (rows.getLong(1) <= limit) {
              return 0;
            }
          }
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM diff_memo WHERE memo_key NOT IN (SELECT memo_key FROM diff_memo"
                      + " ORDER BY written_at DESC, memo_key LIMIT ?)")) {
            delete.setInt(1, limit);
            return delete.executeUpdate();
          }
        });
  }
}
