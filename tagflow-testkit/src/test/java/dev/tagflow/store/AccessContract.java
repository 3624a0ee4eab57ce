package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What tokens, users, sessions and the audit log must do on every database (migration V7).
 * Subclasses give a fresh, empty database per test.
 */
abstract class AccessContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

  /** Options for this test's database (the same database each call within a test). */
  protected abstract StoreOptions options();

  /** A direct connection to this test's database, to look at what the store wrote. */
  protected abstract Connection inspect() throws SQLException;

  private JdbcStore open() {
    return JdbcStore.open(options());
  }

  private static ApiTokenRecord token(String name, String owner, String digest) {
    return new ApiTokenRecord(
        "id-" + name,
        name,
        owner,
        digest,
        T0,
        Optional.of(T0.plus(Duration.ofDays(30))),
        Optional.empty());
  }

  @Test
  void tokensAreFoundByDigestListedAndRevokedByIdOrName() {
    try (Store store = open()) {
      store.access().addToken(token("ci", "alice", "aa11"));
      store.access().addToken(token("laptop", "bob", "bb22"));

      assertThat(store.access().tokenByDigest("aa11")).map(ApiTokenRecord::name).contains("ci");
      assertThat(store.access().tokenByDigest("cc33")).isEmpty();
      assertThat(store.access().tokens())
          .extracting(ApiTokenRecord::name)
          .containsExactly("ci", "laptop");

      Instant later = T0.plusSeconds(60);
      assertThat(store.access().revokeToken("ci", later))
          .map(ApiTokenRecord::revokedAt)
          .contains(Optional.of(later));
      assertThat(store.access().revokeToken("id-laptop", later))
          .map(t -> t.validAt(later))
          .contains(false);
      // Revoking again keeps the first time.
      assertThat(store.access().revokeToken("ci", later.plusSeconds(5)))
          .map(ApiTokenRecord::revokedAt)
          .contains(Optional.of(later));
      assertThat(store.access().revokeToken("nope", later)).isEmpty();
    }
  }

  @Test
  void aSecondTokenOfTheSameNameIsRefusedAndNothingIsWritten() {
    try (Store store = open()) {
      store.access().addToken(token("ci", "alice", "aa11"));
      assertThatThrownBy(() -> store.access().addToken(token("ci", "bob", "dd44")))
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("a token named 'ci' exists already");
      assertThat(store.access().tokenByDigest("dd44")).isEmpty();
      assertThat(store.access().tokens()).hasSize(1);
    }
  }

  @Test
  void tokenValidityFollowsExpiryAndRevocation() {
    ApiTokenRecord token = token("ci", "alice", "aa11");
    assertThat(token.validAt(T0)).isTrue();
    assertThat(token.validAt(T0.plus(Duration.ofDays(30)))).isFalse();
    assertThat(token.toString()).doesNotContain("aa11");
  }

  @Test
  void usersAreAddedOnceAndANewPasswordEndsTheirSessions() {
    try (Store store = open()) {
      assertThat(store.access().addUser("alice", "hash-1", T0)).isTrue();
      assertThat(store.access().addUser("alice", "hash-2", T0)).isFalse();
      assertThat(store.access().user("alice")).map(UserRecord::passwordHash).contains("hash-1");

      store.access().addSession(new SessionRecord("s1", "alice", T0, T0, T0.plusSeconds(3600)));
      assertThat(store.access().setPassword("alice", "hash-3", T0.plusSeconds(1))).isTrue();
      assertThat(store.access().user("alice")).map(UserRecord::passwordHash).contains("hash-3");
      assertThat(store.access().session("s1")).isEmpty();
      assertThat(store.access().setPassword("nobody", "x", T0)).isFalse();
    }
  }

  @Test
  void removingAUserEndsTheirSessionsAndRevokesTheirTokens() {
    try (Store store = open()) {
      store.access().addUser("alice", "h", T0);
      store.access().addUser("bob", "h", T0);
      store.access().addToken(token("ci", "alice", "aa11"));
      store.access().addToken(token("bobs", "bob", "bb22"));
      store.access().addSession(new SessionRecord("s1", "alice", T0, T0, T0.plusSeconds(3600)));

      assertThat(store.access().removeUser("alice", T0.plusSeconds(9))).isTrue();

      assertThat(store.access().users()).extracting(UserRecord::name).containsExactly("bob");
      assertThat(store.access().session("s1")).isEmpty();
      assertThat(store.access().tokenByDigest("aa11").orElseThrow().revokedAt())
          .contains(T0.plusSeconds(9));
      assertThat(store.access().tokenByDigest("bb22").orElseThrow().revokedAt()).isEmpty();
      assertThat(store.access().removeUser("alice", T0)).isFalse();
    }
  }

  @Test
  void sessionsAreTouchedForwardOnlyAndExpiredOnesRemoved() {
    try (Store store = open()) {
      store.access().addSession(new SessionRecord("s1", "alice", T0, T0, T0.plusSeconds(3600)));
      store.access().addSession(new SessionRecord("s2", "bob", T0, T0, T0.plusSeconds(60)));
      store.access().touchSession("s1", T0.plusSeconds(100));
      store.access().touchSession("s1", T0.plusSeconds(50));
      assertThat(store.access().session("s1").orElseThrow().lastSeenAt())
          .isEqualTo(T0.plusSeconds(100));

      // At T0+61: s2 is past its absolute expiry; s1 was seen after the idle limit.
      int removed = store.access().removeExpiredSessions(T0.plusSeconds(61), T0.plusSeconds(1));
      assertThat(removed).isEqualTo(1);
      assertThat(store.access().session("s2")).isEmpty();
      assertThat(store.access().removeSession("s1")).isTrue();
      assertThat(store.access().removeSession("s1")).isFalse();
    }
  }

  @Test
  void theAuditLogKeepsOrderWithinOneMillisecondAndHonoursSinceAndLimit() {
    try (Store store = open()) {
      List<AuditEntry> written = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        AuditEntry entry =
            new AuditEntry(
                i < 3 ? T0 : T0.plusSeconds(10),
                "alice",
                "POST /api/repos",
                "repo-" + i,
                "127.0.0.1",
                "201");
        store.audit().record(entry);
        written.add(entry);
      }
      assertThat(store.audit().since(Instant.EPOCH, 100)).containsExactlyElementsOf(written);
      assertThat(store.audit().since(T0.plusSeconds(1), 100))
          .containsExactlyElementsOf(written.subList(3, 5));
      assertThat(store.audit().since(Instant.EPOCH, 2))
          .containsExactlyElementsOf(written.subList(3, 5));
      assertThat(store.audit().since(Instant.EPOCH, 0)).isEmpty();
    }
  }

  @Test
  void noSecretColumnHoldsAnythingButWhatTheCallerHashed() throws SQLException {
    try (Store store = open()) {
      store.access().addUser("alice", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", T0);
    }
    try (Connection connection = inspect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT password_hash FROM users")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).startsWith("$argon2id$");
    }
  }
}
