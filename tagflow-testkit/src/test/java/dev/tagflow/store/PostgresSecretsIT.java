package dev.tagflow.store;

import dev.tagflow.local.postgres.LocalPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** The secrets contract on a real PostgreSQL server, a fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSecretsIT extends SecretsContract {

  private final AtomicInteger databases = new AtomicInteger();
  private LocalPostgres postgres;
  private String database;

  @BeforeAll
  void startPostgres() {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void createDatabase() {
    database = "secrets_" + databases.incrementAndGet();
    postgres.createDatabase(database);
  }

  @Override
  protected StoreOptions options() {
    return StoreOptions.defaults(DatabaseUrl.parse(postgres.jdbcUrl(database), "PostgresSecretsIT"))
        .withCredentials(postgres.user(), postgres.password());
  }

  @Override
  protected Connection inspect() throws SQLException {
    return postgres.connect(database);
  }
}
