package dev.tagflow.store.jdbc;

import dev.tagflow.store.ManifestStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;

/** Manifests by SHA-256 in the {@code manifests} table. */
final class JdbcManifests implements ManifestStore {

  private final Database database;
  private final Clock clock;

  JdbcManifests(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public String put(byte[] manifests) {
    String hash = sha256(manifests);
    long now = clock.millis();
    database.write(
        "store manifests " + hash,
        connection -> {
          // A second put only refreshes stored_at, which spares the manifests from
          // collectGarbage until the history entry that will use them is recorded.
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  "INSERT INTO manifests (hash, content, size, stored_at) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (hash) DO UPDATE SET stored_at = excluded.stored_at")) {
            upsert.setString(1, hash);
            upsert.setBytes(2, manifests);
            upsert.setLong(3, manifests.length);
            upsert.setLong(4, now);
            return upsert.executeUpdate();
          }
        });
    return hash;
  }

  @Override
  public Optional<byte[]> get(String hash) {
    return database.read(
        "read manifests " + hash,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement("SELECT content FROM manifests WHERE hash = ?")) {
            query.setString(1, hash);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean contains(String hash) {
    return database.read("look up manifests " + hash, connection -> exists(connection, hash));
  }

  @Override
  public int collectGarbage(Instant putBefore) {
    return database.write(
        "remove manifests no history entry uses",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM manifests WHERE stored_at < ? AND NOT EXISTS"
                      + " (SELECT 1 FROM sync_history h WHERE h.manifests_hash = manifests.hash)")) {
            delete.setLong(1, putBefore.toEpochMilli());
            return delete.executeUpdate();
          }
        });
  }

  static boolean exists(Connection connection, String hash) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM manifests WHERE hash = ?")) {
      query.setString(1, hash);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Removes those of the manifests that no history entry uses any more: called in the transaction
   * that removed entries which used them.
   */
  static void removeUnused(Connection connection, Collection<String> hashes) throws SQLException {
    if (hashes.isEmpty()) {
      return;
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM manifests WHERE hash = ? AND NOT EXISTS"
                + " (SELECT 1 FROM sync_history h WHERE h.manifests_hash = ?)")) {
      for (String hash : hashes) {
        delete.setString(1, hash);
        delete.setString(2, hash);
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
