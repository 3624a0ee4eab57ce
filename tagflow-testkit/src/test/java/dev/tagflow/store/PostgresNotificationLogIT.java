package dev.tagflow.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The notification attempts contract on a real PostgreSQL server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresNotificationLogIT extends NotificationLogContract {

  @RegisterExtension final PostgresDatabases databases = new PostgresDatabases("notifications");

  @Override
  protected StoreOptions options() {
    return databases.options("PostgresNotificationLogIT");
  }

  @Override
  protected Connection inspect() throws SQLException {
    return databases.connect();
  }
}
