package dev.tagflow.store;

import dev.tagflow.local.postgres.LocalPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for a test class and a fresh database per test: register it on a field
 * of a {@code PER_CLASS} test ({@code @RegisterExtension final PostgresDatabases postgres = …}).
 */
final class PostgresDatabases implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private final String prefix;
  private final AtomicInteger databases = new AtomicInteger();
  private LocalPostgres server;
  private String database;

  /**
   * @param prefix the start of each test's database name
   */
  PostgresDatabases(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = LocalPostgres.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    database = prefix + "_" + databases.incrementAndGet();
    server.createDatabase(database);
  }

  /** The server the class runs against. */
  LocalPostgres server() {
    return server;
  }

  /** The current test's database. */
  String database() {
    return database;
  }

  /** Store options for the current test's database, {@code label} naming it in messages. */
  StoreOptions options(String label) {
    return StoreOptions.defaults(DatabaseUrl.parse(server.jdbcUrl(database), label))
        .withCredentials(server.user(), server.password());
  }

  /** A connection to the current test's database, to look at what the store wrote. */
  Connection connect() throws SQLException {
    return server.connect(database);
  }
}
