package dev.tagflow.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The secrets contract on a real PostgreSQL server, a fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSecretsIT extends SecretsContract {

  @RegisterExtension final PostgresDatabases databases = new PostgresDatabases("secrets");

  @Override
  protected StoreOptions options() {
    return databases.options("PostgresSecretsIT");
  }

  @Override
  protected Connection inspect() throws SQLException {
    return databases.connect();
  }
}
