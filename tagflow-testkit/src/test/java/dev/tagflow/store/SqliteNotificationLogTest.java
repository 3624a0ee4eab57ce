package dev.tagflow.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The notification attempts contract on a SQLite file. */
class SqliteNotificationLogTest extends NotificationLogContract {

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
