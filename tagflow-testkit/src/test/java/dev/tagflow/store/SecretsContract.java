package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.secret.ResolvedSecrets;
import dev.tagflow.secret.SecretEntry;
import dev.tagflow.secret.SecretKeyFile;
import dev.tagflow.secret.SecretScope;
import dev.tagflow.secret.Secrets;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What secrets must do on every database: sealed at rest, shown by name only, resolved for a
 * workflow by the names it uses, and refused to open when a row was changed or moved.
 */
abstract class SecretsContract {

  static final SecretScope SHOP = new SecretScope.Project("shop");
  static final SecretScope WEB = new SecretScope.Repository("web");

  @TempDir Path keyDir;
  protected MovableClock clock;

  /** Options for this test's database (the same database each call within a test). */
  protected abstract StoreOptions options();

  /** A direct connection to this test's database. */
  protected abstract Connection inspect() throws SQLException;

  @BeforeEach
  void startTheClock() {
    clock = new MovableClock(Instant.parse("2026-03-01T10:00:00.123Z"));
  }

  protected JdbcStore open() {
    return JdbcStore.open(options().withClock(clock));
  }

  private Secrets secrets(Store store) {
    return new Secrets(store.secrets(), SecretKeyFile.load(keyDir));
  }

  @Test
  void listShowsScopeNameAndUpdateTimeButNeverAValue() {
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      secrets.set(SHOP, "registry_password", bytes("hunter2-project"));
      clock.advance(Duration.ofSeconds(3));
      secrets.set(WEB, "DEPLOY_TOKEN", bytes("tok-repo"));

      assertThat(secrets.list(Optional.empty()))
          .containsExactly(
              new SecretEntry(SHOP, "REGISTRY_PASSWORD", Instant.parse("2026-03-01T10:00:00.123Z")),
              new SecretEntry(WEB, "DEPLOY_TOKEN", Instant.parse("2026-03-01T10:00:03.123Z")));
      assertThat(secrets.list(Optional.of(WEB)))
          .extracting(SecretEntry::name)
          .containsExactly("DEPLOY_TOKEN");
      assertThat(secrets.list(Optional.empty()).toString())
          .doesNotContain("hunter2")
          .doesNotContain("tok-repo");
    }
  }

  @Test
  void setReplacesTheValueAndTheUpdateTime() {
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      secrets.set(SHOP, "TOKEN", bytes("one"));
      clock.advance(Duration.ofMinutes(1));
      secrets.set(SHOP, "token", bytes("two"));

      assertThat(secrets.resolve(List.of(SHOP), List.of("TOKEN")).valueOf("TOKEN"))
          .isEqualTo("two");
      assertThat(secrets.list(Optional.of(SHOP)))
          .containsExactly(
              new SecretEntry(SHOP, "TOKEN", Instant.parse("2026-03-01T10:01:00.123Z")));
    }
  }

  @Test
  void deleteRemovesTheSecretAndSaysWhetherThereWasOne() {
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      secrets.set(SHOP, "TOKEN", bytes("value"));

      assertThat(secrets.delete(SHOP, "TOKEN")).isTrue();
      assertThat(secrets.delete(SHOP, "TOKEN")).isFalse();
      assertThat(secrets.list(Optional.empty())).isEmpty();
      assertThat(secrets.resolve(List.of(SHOP), List.of("TOKEN")).missing())
          .containsExactly("TOKEN");
    }
  }

  @Test
  void resolveGivesOnlyTheNamedSecretsTheRepositorysBeforeTheProjects() {
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      secrets.set(SHOP, "REGISTRY_PASSWORD", bytes("project-password"));
      secrets.set(WEB, "REGISTRY_PASSWORD", bytes("repository-password"));
      secrets.set(SHOP, "SLACK_TOKEN", bytes("slack"));
      secrets.set(SHOP, "UNUSED", bytes("never asked for"));
      secrets.set(new SecretScope.Repository("api"), "API_ONLY", bytes("not web's"));

      ResolvedSecrets resolved =
          secrets.resolve(
              List.of(WEB, SHOP),
              List.of("registry_password", "SLACK_TOKEN", "API_ONLY", "NOT_SET"));

      assertThat(resolved.values())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("REGISTRY_PASSWORD", "repository-password", "SLACK_TOKEN", "slack"));
      assertThat(resolved.missing()).containsExactly("API_ONLY", "NOT_SET");
      assertThat(resolved.valueOf("NOT_SET")).isEmpty();
      assertThat(resolved.toString()).doesNotContain("password").contains("REGISTRY_PASSWORD");
    }
  }

  @Test
  void theDatabaseHoldsNoPlaintextAndTwoEqualValuesSealDifferently() throws SQLException {
    String plaintext = "correct horse battery staple " + System.nanoTime();
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      secrets.set(SHOP, "A", bytes(plaintext));
      secrets.set(SHOP, "B", bytes(plaintext));
    }
    List<byte[]> rows = sealedRows();
    assertThat(rows).hasSize(2);
    for (byte[] row : rows) {
      assertThat(new String(row, StandardCharsets.ISO_8859_1))
          .doesNotContain(plaintext)
          .doesNotContain(Base64.getEncoder().encodeToString(bytes(plaintext)));
    }
    // A fresh nonce per value: equal values do not give equal rows.
    assertThat(rows.get(0)).isNotEqualTo(rows.get(1));
  }

  @Test
  void aChangedRowDoesNotOpenAndSaysHowToFixIt() throws SQLException {
    try (JdbcStore store = open()) {
      secrets(store).set(SHOP, "TOKEN", bytes("value"));
    }
    byte[] row = sealedRows().getFirst();
    row[row.length - 1] ^= 0x01;
    execute("UPDATE secrets SET sealed = ? WHERE name = 'TOKEN'", row);

    try (JdbcStore store = open()) {
      assertThatThrownBy(() -> secrets(store).resolve(List.of(SHOP), List.of("TOKEN")))
          .isInstanceOf(TagflowException.class)
          .hasMessage(
              "the secret TOKEN of project shop does not open: its stored value was changed, or"
                  + " copied from another secret or scope. Set it again with 'tagflow secret set"
                  + " TOKEN --project shop'");
    }
  }

  @Test
  void aRowMovedToAnotherNameOrScopeDoesNotOpen() throws SQLException {
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      secrets.set(SHOP, "TOKEN", bytes("shop's token"));
      secrets.set(WEB, "OTHER", bytes("placeholder"));
    }
    execute("UPDATE secrets SET name = 'STOLEN' WHERE name = 'TOKEN'", null);
    execute("UPDATE secrets SET scope = 'repository/web' WHERE name = 'STOLEN'", null);

    try (JdbcStore store = open()) {
      assertThatThrownBy(() -> secrets(store).resolve(List.of(WEB), List.of("STOLEN")))
          .isInstanceOf(TagflowException.class)
          .hasMessageStartingWith("the secret STOLEN of repository web does not open");
    }
  }

  @Test
  void aValueSealedWithAnotherKeyFileIsNamedSo(@TempDir Path otherKeyDir) {
    try (JdbcStore store = open()) {
      new Secrets(store.secrets(), SecretKeyFile.load(otherKeyDir))
          .set(SHOP, "TOKEN", bytes("value"));

      assertThatThrownBy(() -> secrets(store).resolve(List.of(SHOP), List.of("TOKEN")))
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining(
              "was sealed with another key than the data directory's secrets.key");
    }
  }

  @Test
  void badNamesAndValuesAreRefusedAndNothingIsStored() {
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      assertThatThrownBy(() -> secrets.set(SHOP, "9LIVES", bytes("x")))
          .hasMessageContaining("is not a secret name");
      assertThatThrownBy(() -> secrets.set(SHOP, "MY-TOKEN", bytes("x")))
          .hasMessageContaining("is not a secret name");
      assertThatThrownBy(() -> secrets.set(SHOP, "GITHUB_TOKEN", bytes("x")))
          .hasMessageContaining("reserved");
      assertThatThrownBy(() -> secrets.set(SHOP, "EMPTY", new byte[0]))
          .hasMessageContaining("is empty");
      assertThatThrownBy(() -> secrets.set(SHOP, "BIG", new byte[Secrets.MAX_VALUE_BYTES + 1]))
          .hasMessageContaining("more than the 49152 a secret may hold");
      assertThatThrownBy(() -> secrets.set(SHOP, "BINARY", new byte[] {(byte) 0xff, 0x41}))
          .hasMessageContaining("is not UTF-8 text");
      assertThatThrownBy(() -> secrets.set(SHOP, "NUL", new byte[] {0x41, 0x00}))
          .hasMessageContaining("NUL");
      assertThatThrownBy(() -> new SecretScope.Project("../etc"))
          .hasMessageContaining("is not a project name");
      assertThat(secrets.list(Optional.empty())).isEmpty();
    }
  }

  @Test
  void aValueOfTheLargestSizeAndAnyUnicodeRoundTrips() {
    String value = "ünïcødé ✓ 🔑\nsecond line\r\n" + "x".repeat(1000);
    byte[] largest = new byte[Secrets.MAX_VALUE_BYTES];
    Arrays.fill(largest, (byte) 'k');
    try (JdbcStore store = open()) {
      Secrets secrets = secrets(store);
      secrets.set(WEB, "UNICODE", bytes(value));
      secrets.set(WEB, "LARGEST", largest);

      ResolvedSecrets resolved = secrets.resolve(List.of(WEB), List.of("UNICODE", "LARGEST"));
      assertThat(resolved.valueOf("UNICODE")).isEqualTo(value);
      assertThat(resolved.valueOf("LARGEST")).hasSize(Secrets.MAX_VALUE_BYTES);
    }
  }

  // --- helpers ---

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<byte[]> sealedRows() throws SQLException {
    List<byte[]> rows = new ArrayList<>();
    try (Connection connection = inspect();
        PreparedStatement query =
            connection.prepareStatement("SELECT sealed FROM secrets ORDER BY name");
        ResultSet result = query.executeQuery()) {
      while (result.next()) {
        rows.add(result.getBytes(1));
      }
    }
    return rows;
  }

  private void execute(String sql, byte[] parameter) throws SQLException {
    try (Connection connection = inspect();
        PreparedStatement update = connection.prepareStatement(sql)) {
      if (parameter != null) {
        update.setBytes(1, parameter);
      }
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
