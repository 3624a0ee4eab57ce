package dev.tagflow.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session idle and absolute expiry, and the login back-off, on a clock the test moves. */
class SessionsTest {

  /** A clock that moves only when told. */
  static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-03-01T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TempDir Path data;
  JdbcStore store;
  MovingClock clock = new MovingClock();
  Sessions sessions;

  @BeforeEach
  void open() {
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
    sessions =
        new Sessions(
            store.access(),
            new Sessions.Lifetimes(Duration.ofMinutes(30), Duration.ofHours(8)),
            clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aSessionEndsAfterItsIdleTimeWithoutARequest() {
    Sessions.Opened opened = sessions.open("alice");
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.authenticate(opened.id())).isPresent();
    // That request counted: another 29 minutes are fine.
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.authenticate(opened.id())).isPresent();
    clock.advance(Duration.ofMinutes(30));
    assertThat(sessions.authenticate(opened.id())).isEmpty();
    // And it is gone from the store.
    assertThat(store.access().session(OpaqueSecret.digest(opened.id()))).isEmpty();
  }

  @Test
  void aSessionEndsAtItsAbsoluteExpiryHoweverBusy() {
    Sessions.Opened opened = sessions.open("alice");
    assertThat(opened.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
    for (int i = 0; i < 8 * 3 - 1; i++) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(sessions.authenticate(opened.id())).as("after %d×20 min", i + 1).isPresent();
    }
    clock.advance(Duration.ofMinutes(20));
    assertThat(sessions.authenticate(opened.id())).isEmpty();
  }

  @Test
  void theSweepRemovesEndedSessionsOnly() {
    Sessions.Opened idle = sessions.open("alice");
    clock.advance(Duration.ofMinutes(20));
    Sessions.Opened fresh = sessions.open("bob");
    clock.advance(Duration.ofMinutes(15));
    assertThat(sessions.sweep()).isEqualTo(1);
    assertThat(sessions.authenticate(idle.id())).isEmpty();
    assertThat(sessions.authenticate(fresh.id())).isPresent();
  }

  @Test
  void csrfTokensBelongToOneSession() {
    Sessions.Opened a = sessions.open("alice");
    Sessions.Opened b = sessions.open("alice");
    assertThat(sessions.csrfMatches(a.id(), a.csrf())).isTrue();
    assertThat(sessions.csrfMatches(a.id(), b.csrf())).isFalse();
    assertThat(sessions.csrfMatches(a.id(), null)).isFalse();
    assertThat(sessions.csrfMatches(a.id(), "")).isFalse();
    assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrf());
  }

  @Test
  void loginBackOffDoublesFromTheSixthFailureAndASuccessClearsIt() {
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < 4; i++) {
      throttle.failed("alice", "10.0.0.1");
      assertThat(throttle.waitFor("alice", "10.0.0.1")).isEmpty();
    }
    throttle.failed("alice", "10.0.0.1");
    assertThat(throttle.waitFor("alice", "10.0.0.2")).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.waitFor("alice", "10.0.0.1")).isEmpty();
    throttle.failed("alice", "10.0.0.1");
    assertThat(throttle.waitFor("bob", "10.0.0.1")).contains(Duration.ofSeconds(2));
    for (int i = 0; i < 30; i++) {
      throttle.failed("alice", "10.0.0.1");
    }
    assertThat(throttle.waitFor("alice", "10.0.0.9")).contains(Duration.ofMinutes(15));
    throttle.succeeded("alice", "10.0.0.1");
    assertThat(throttle.waitFor("alice", "10.0.0.1")).isEmpty();
  }
}
