package dev.tagflow.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The tokens, users, sessions and audit contract on a SQLite file. */
class SqliteAccessTest extends AccessContract {

  @TempDir Path dataDir;

  @Override
  protected StoreOptions options() {
    return StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir));
  }

  @Override
  protected Connection inspect() throws SQLException {
    return DriverManager.getConnection(options().database().jdbcUrl());
  }
}
