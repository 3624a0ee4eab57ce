package dev.tagflow.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tokens, users, sessions and audit contract on a real PostgreSQL server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresAccessIT extends AccessContract {

  @RegisterExtension final PostgresDatabases databases = new PostgresDatabases("access");

  @Override
  protected StoreOptions options() {
    return databases.options("PostgresAccessIT");
  }

  @Override
  protected Connection inspect() throws SQLException {
    return databases.connect();
  }
}
