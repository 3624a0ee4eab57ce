package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.cluster.PortAllocator;
import dev.tagflow.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on a real PostgreSQL server, a fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresStoreIT extends StoreContract {

  @RegisterExtension final PostgresDatabases databases = new PostgresDatabases("store");

  @Override
  protected StoreOptions options() {
    return databases.options("PostgresStoreIT");
  }

  @Override
  protected Connection inspect() throws SQLException {
    return databases.connect();
  }

  @Override
  protected Flyway flyway(String... locations) {
    return Flyway.configure()
        .dataSource(
            databases.server().jdbcUrl(databases.database()),
            databases.server().user(),
            databases.server().password())
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
        databases.server().jdbcUrl(databases.database())
            + "?user="
            + databases.server().user()
            + "&password="
            + databases.server().password();
    DatabaseUrl parsed = DatabaseUrl.parse(url, "PostgresStoreIT");

    try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(parsed))) {
      store.statuses().put("web", 1, "{}");
    }
    assertThat(parsed.redacted())
        .doesNotContain(databases.server().password())
        .contains("password=***");
  }

  @Test
  void aWrongPasswordIsOneMessageThatDoesNotRepeatIt() {
    String wrong = "not-the-password-" + System.nanoTime();
    StoreOptions options =
        StoreOptions.defaults(
                DatabaseUrl.parse(
                    databases.server().jdbcUrl(databases.database()), "PostgresStoreIT"))
            .withCredentials(databases.server().user(), wrong);

    assertThatThrownBy(() -> JdbcStore.open(options))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith(
            "could not connect to the database " + databases.server().jdbcUrl(databases.database()))
        .hasMessageContaining("password authentication failed")
        .hasMessageContaining("Check database: in the server configuration")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
  }
}
