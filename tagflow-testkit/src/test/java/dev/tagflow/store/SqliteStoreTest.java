package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file, and what is SQLite's own. */
class SqliteStoreTest extends StoreContract {

  @TempDir Path dataDir;

  @Override
  protected StoreOptions options() {
    return StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir));
  }

  @Override
  protected Connection inspect() throws SQLException {
    return DriverManager.getConnection(options().database().jdbcUrl());
  }

  @Override
  protected Flyway flyway(String... locations) {
    return Flyway.configure()
        .dataSource(options().database().jdbcUrl(), null, null)
        .locations(locations)
        .placeholders(Map.of("binary", "BLOB"))
        .load();
  }

  @Override
  protected StoreOptions unreachable(String secret) {
    return StoreOptions.defaults(new DatabaseUrl.Sqlite(dataDir.resolve("missing/dir/tagflow.db")))
        .withCredentials("tagflow", secret);
  }

  @Test
  void theDefaultDatabaseIsAFileInTheDataDirectoryInWalMode() throws SQLException {
    JdbcStore.open(options()).close();

    assertThat(dataDir.resolve("tagflow.db")).isRegularFile();
    try (Connection connection = inspect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void aMissingDirectoryIsNamedWithWhatToDo() {
    Path file = dataDir.resolve("nope/tagflow.db");
    assertThatThrownBy(() -> JdbcStore.open(StoreOptions.defaults(new DatabaseUrl.Sqlite(file))))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "could not open the database jdbc:sqlite:"
                + file
                + ": the directory "
                + file.getParent()
                + " does not exist; create it, or set database: to a file in a directory that"
                + " exists");
  }
}
