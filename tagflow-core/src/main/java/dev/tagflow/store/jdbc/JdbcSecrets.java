package dev.tagflow.store.jdbc;

import dev.tagflow.store.SecretStore;
import dev.tagflow.store.StoredSecret;
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
import java.util.Optional;

/** Sealed secrets in the {@code secrets} table. */
final class JdbcSecrets implements SecretStore {

  private final Database database;
  private final Clock clock;

  JdbcSecrets(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public void put(String scope, String name, byte[] sealed) {
    long now = clock.millis();
    database.write(
        "store secret " + name + " of " + scope,
        connection -> {
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  "INSERT INTO secrets (scope, name, sealed, updated_at) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (scope, name) DO UPDATE SET sealed = excluded.sealed,"
                      + " updated_at = excluded.updated_at")) {
            upsert.setString(1, scope);
            upsert.setString(2, name);
            upsert.setBytes(3, sealed);
            upsert.setLong(4, now);
            return upsert.executeUpdate();
          }
        });
  }

  @Override
  public Optional<byte[]> get(String scope, String name) {
    return Optional.ofNullable(getAll(scope, List.of(name)).get(name));
  }

  @Override
  public Map<String, byte[]> getAll(String scope, Collection<String> names) {
    List<String> all = List.copyOf(names);
    if (all.isEmpty()) {
      return Map.of();
    }
    String marks = String.join(", ", Collections.nCopies(all.size(), "?"));
    return database.read(
        "read secrets of " + scope,
        connection -> {
          Map<String, byte[]> found = new HashMap<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT name, sealed FROM secrets WHERE scope = ? AND name IN (" + marks + ")")) {
            query.setString(1, scope);
            for (int i = 0; i < all.size(); i++) {
              query.setString(i + 2, all.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                found.put(rows.getString(1), rows.getBytes(2));
              }
            }
          }
          return found;
        });
  }

  @Override
  public List<StoredSecret> list() {
    return database.read(
        "list secrets",
        connection -> {
          List<StoredSecret> found = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT scope, name, updated_at FROM secrets ORDER BY scope, name");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              found.add(
                  new StoredSecret(
                      rows.getString(1), rows.getString(2), Instant.ofEpochMilli(rows.getLong(3))));
            }
          }
          return found;
        });
  }

  @Override
  public boolean delete(String scope, String name) {
    return database.write(
        "delete secret " + name + " of " + scope,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM secrets WHERE scope = ? AND name = ?")) {
            delete.setString(1, scope);
            delete.setString(2, name);
            return delete.executeUpdate() > 0;
          }
        });
  }
}
