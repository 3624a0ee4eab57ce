package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import dev.tagflow.store.AccessStore;
import dev.tagflow.store.ApiTokenRecord;
import dev.tagflow.store.SessionRecord;
import dev.tagflow.store.UserRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * API tokens, users and sessions in the {@code api_tokens}, {@code users} and {@code sessions}
 * tables.
 */
final class JdbcAccess implements AccessStore {

  private static final String TOKEN_COLUMNS =
      "token_id, name, owner, digest, created_at, expires_at, revoked_at";

  private final Database database;

  JdbcAccess(Database database) {
    this.database = database;
  }

  @Override
  public void addToken(ApiTokenRecord token) {
    boolean added =
        database.write(
            "add token " + token.name(),
            connection -> {
              if (findToken(connection, "name = ?", token.name()).isPresent()) {
                return false;
              }
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO api_tokens ("
                          + TOKEN_COLUMNS
                          + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, token.id());
                insert.setString(2, token.name());
                insert.setString(3, token.owner());
                insert.setString(4, token.digest());
                insert.setLong(5, token.createdAt().toEpochMilli());
                setInstant(insert, 6, token.expiresAt());
                setInstant(insert, 7, token.revokedAt());
                insert.executeUpdate();
              }
              return true;
            });
    if (!added) {
      throw TagflowException.invalidInput(
          "a token named '"
              + token.name()
              + "' exists already: choose another name, or revoke that one first");
    }
  }

  @Override
  public Optional<ApiTokenRecord> tokenByDigest(String digest) {
    return database.read("find token", connection -> findToken(connection, "digest = ?", digest));
  }

  @Override
  public List<ApiTokenRecord> tokens() {
    return database.read(
        "list tokens",
        connection -> {
          List<ApiTokenRecord> found = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT " + TOKEN_COLUMNS + " FROM api_tokens ORDER BY created_at, name");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              found.add(token(rows));
            }
          }
          return found;
        });
  }

  @Override
  public Optional<ApiTokenRecord> revokeToken(String idOrName, Instant at) {
    return database.write(
        "revoke token " + idOrName,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE api_tokens SET revoked_at = ?"
                      + " WHERE (token_id = ? OR name = ?) AND revoked_at IS NULL")) {
            update.setLong(1, at.toEpochMilli());
            update.setString(2, idOrName);
            update.setString(3, idOrName);
            update.executeUpdate();
          }
          Optional<ApiTokenRecord> byId = findToken(connection, "token_id = ?", idOrName);
          return byId.isPresent() ? byId : findToken(connection, "name = ?", idOrName);
        });
  }

  @Override
  public boolean addUser(String name, String passwordHash, Instant at) {
    return database.write(
        "add user " + name,
        connection -> {
          if (findUser(connection, name).isPresent()) {
            return false;
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO users (name, password_hash, created_at, updated_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, passwordHash);
            insert.setLong(3, at.toEpochMilli());
            insert.setLong(4, at.toEpochMilli());
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean setPassword(String name, String passwordHash, Instant at) {
    return database.write(
        "set the password of " + name,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?")) {
            update.setString(1, passwordHash);
            update.setLong(2, at.toEpochMilli());
            update.setString(3, name);
            if (update.executeUpdate() == 0) {
              return false;
            }
          }
          // A new password ends the sessions the old one opened.
          removeSessionsOf(connection, name);
          return true;
        });
  }

  @Override
  public boolean removeUser(String name, Instant at) {
    return database.write(
        "remove user " + name,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM users WHERE name = ?")) {
            delete.setString(1, name);
            if (delete.executeUpdate() == 0) {
              return false;
            }
          }
          removeSessionsOf(connection, name);
          try (PreparedStatement revoke =
              connection.prepareStatement(
                  "UPDATE api_tokens SET revoked_at = ? WHERE owner = ? AND revoked_at IS NULL")) {
            revoke.setLong(1, at.toEpochMilli());
            revoke.setString(2, name);
            revoke.executeUpdate();
          }
          return true;
        });
  }

  @Override
  public Optional<UserRecord> user(String name) {
    return database.read("read user " + name, connection -> findUser(connection, name));
  }

  @Override
  public List<UserRecord> users() {
    return database.read(
        "list users",
        connection -> {
          List<UserRecord> found = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT name, password_hash, created_at, updated_at FROM users ORDER BY name");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              found.add(user(rows));
            }
          }
          return found;
        });
  }

  @Override
  public void addSession(SessionRecord session) {
    database.write(
        "add a session of " + session.user(),
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO sessions (digest, user_name, created_at, last_seen_at, expires_at)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, session.digest());
            insert.setString(2, session.user());
            insert.setLong(3, session.createdAt().toEpochMilli());
            insert.setLong(4, session.lastSeenAt().toEpochMilli());
            insert.setLong(5, session.expiresAt().toEpochMilli());
            return insert.executeUpdate();
          }
        });
  }

  @Override
  public Optional<SessionRecord> session(String digest) {
    return database.read(
        "read a session",
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT digest, user_name, created_at, last_seen_at, expires_at FROM sessions"
                      + " WHERE digest = ?")) {
            query.setString(1, digest);
            try (ResultSet rows = query.executeQuery()) {
              if (!rows.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new SessionRecord(
                      rows.getString(1),
                      rows.getString(2),
                      Instant.ofEpochMilli(rows.getLong(3)),
                      Instant.ofEpochMilli(rows.getLong(4)),
                      Instant.ofEpochMilli(rows.getLong(5))));
            }
          }
        });
  }

  @Override
  public void touchSession(String digest, Instant at) {
    database.write(
        "touch a session",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE sessions SET last_seen_at = ? WHERE digest = ? AND last_seen_at < ?")) {
            update.setLong(1, at.toEpochMilli());
            update.setString(2, digest);
            update.setLong(3, at.toEpochMilli());
            return update.executeUpdate();
          }
        });
  }

  @Override
  public boolean removeSession(String digest) {
    return database.write(
        "remove a session",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM sessions WHERE digest = ?")) {
            delete.setString(1, digest);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public int removeExpiredSessions(Instant now, Instant idleSince) {
    return database.write(
        "remove expired sessions",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?")) {
            delete.setLong(1, now.toEpochMilli());
            delete.setLong(2, idleSince.toEpochMilli());
            return delete.executeUpdate();
          }
        });
  }

  private static void removeSessionsOf(Connection connection, String user) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM sessions WHERE user_name = ?")) {
      delete.setString(1, user);
      delete.executeUpdate();
    }
  }

  private static Optional<ApiTokenRecord> findToken(
      Connection connection, String where, String value) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE " + where)) {
      query.setString(1, value);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(token(rows)) : Optional.empty();
      }
    }
  }

  private static Optional<UserRecord> findUser(Connection connection, String name)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT name, password_hash, created_at, updated_at FROM users WHERE name = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(user(rows)) : Optional.empty();
      }
    }
  }

  private static ApiTokenRecord token(ResultSet rows) throws SQLException {
    return new ApiTokenRecord(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        rows.getString(4),
        Instant.ofEpochMilli(rows.getLong(5)),
        instant(rows, 6),
        instant(rows, 7));
  }

  private static UserRecord user(ResultSet rows) throws SQLException {
    return new UserRecord(
        rows.getString(1),
        rows.getString(2),
        Instant.ofEpochMilli(rows.getLong(3)),
        Instant.ofEpochMilli(rows.getLong(4)));
  }

  private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
    long millis = rows.getLong(column);
    return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  private static void setInstant(PreparedStatement statement, int index, Optional<Instant> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setLong(index, value.get().toEpochMilli());
    } else {
      statement.setNull(index, Types.BIGINT);
    }
  }
}
