package dev.tagflow.store.jdbc;

import dev.tagflow.store.AddedRepository;
import dev.tagflow.store.RepositoryStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The repositories added over the API, in the {@code repositories} table. */
final class JdbcRepositories implements RepositoryStore {

  private static final String COLUMNS =
      "SELECT name, url, username, password_secret, added_by, added_at FROM repositories";

  private final Database database;

  JdbcRepositories(Database database) {
    this.database = database;
  }

  @Override
  public boolean add(AddedRepository repository) {
    return database.write(
        "add repository " + repository.name(),
        connection -> {
          // Checked in the same transaction as the insert: one writer at a time, so no other
          // add slips in between, and a taken name or URL is an answer, not an SQL error.
          try (PreparedStatement taken =
              connection.prepareStatement("SELECT 1 FROM repositories WHERE name = ? OR url = ?")) {
            taken.setString(1, repository.name());
            taken.setString(2, repository.url());
            try (ResultSet rows = taken.executeQuery()) {
              if (rows.next()) {
                return false;
              }
            }
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO repositories (name, url, username, password_secret, added_by,"
                      + " added_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, repository.name());
            insert.setString(2, repository.url());
            Rows.setText(insert, 3, repository.username());
            Rows.setText(insert, 4, repository.passwordSecret());
            insert.setString(5, repository.addedBy());
            insert.setLong(6, repository.addedAt().toEpochMilli());
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Override
  public List<AddedRepository> list() {
    return database.read(
        "list repositories",
        connection -> {
          List<AddedRepository> found = new ArrayList<>();
          try (PreparedStatement query = connection.prepareStatement(COLUMNS + " ORDER BY name");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              found.add(repository(rows));
            }
          }
          return found;
        });
  }

  @Override
  public Optional<AddedRepository> get(String name) {
    return database.read(
        "read repository " + name,
        connection -> {
          try (PreparedStatement query = connection.prepareStatement(COLUMNS + " WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(repository(rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean remove(String name) {
    return database.write(
        "remove repository " + name,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM repositories WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
          }
        });
  }

  private static AddedRepository repository(ResultSet row) throws SQLException {
    return new AddedRepository(
        row.getString("name"),
        row.getString("url"),
        Rows.text(row, "username"),
        Rows.text(row, "password_secret"),
        row.getString("added_by"),
        Rows.time(row, "added_at"));
  }
}
