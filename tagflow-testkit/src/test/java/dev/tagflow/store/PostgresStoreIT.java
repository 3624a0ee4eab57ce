package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.cluster.PortAllocator;
import dev.tagflow.local.postgres.LocalPostgres;
import dev.tagflow.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The store contract on a real PostgreSQL server, a fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresStoreIT extends StoreContract {

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
    database = "store_" + databases.incrementAndGet();
    postgres.createDatabase(database);
  }

  @Override
  protected StoreOptions options() {
    return StoreOptions.defaults(DatabaseUrl.parse(postgres.jdbcUrl(database), "PostgresStoreIT"))
        .withCredentials(postgres.user(), postgres.password());
  }

  @Override
  protected Connection inspect() throws SQLException {
    return postgres.connect(database);
  }

  @Override
  protected Flyway flyway(String... locations) {
    return Flyway.configure()
        .dataSource(postgres.jdbcUrl(database), postgres.user(), postgres.password())
        .locations(locations)
        .placeholders(Map.of("binary", "BYTEA"))
        .load();
  }

  @Override
  protected StoreOptions unreachable(String secret) {
    int closedPort = new PortAllocator(16000 + (int) (ProcessHandle.current().pid() % 1000)).next();
    return StoreOptions.defaults(
            DatabaseUrl.parse(
                "jdbc:postgresql://127.0.0.1:"
                    + closedPort
                    + "/tagflow?user=tagflow&password="
                    + secret,
                "PostgresStoreIT"))
        .withConnectTimeout(Duration.ofSeconds(2));
  }

  @Test
  void credentialsInTheUrlWorkAndStayOutOfItsRedactedForm() {
    String url =
        postgres.jdbcUrl(database)
            + "?user="
            + postgres.user()
            + "&password="
            + postgres.password();
    DatabaseUrl parsed = DatabaseUrl.parse(url, "PostgresStoreIT");

    try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(parsed))) {
      store.statuses().put("web", 1, "{}");
    }
    assertThat(parsed.redacted()).doesNotContain(postgres.password()).contains("password=***");
  }

  @Test
  void aWrongPasswordIsOneMessageThatDoesNotRepeatIt() {
    String wrong = "not-the-password-" + System.nanoTime();
    StoreOptions options =
        StoreOptions.defaults(DatabaseUrl.parse(postgres.jdbcUrl(database), "PostgresStoreIT"))
            .withCredentials(postgres.user(), wrong);

    assertThatThrownBy(() -> JdbcStore.open(options))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith("could not connect to the database " + postgres.jdbcUrl(database))
        .hasMessageContaining("password authentication failed")
        .hasMessageContaining("Check database: in the server configuration")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
  }
}
