package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the notification attempts must do on every database (migration V9): kept per webhook, the
 * newest N only, read back newest first, after the store is opened again.
 */
abstract class NotificationLogContract {

  static final Instant T0 = Instant.parse("2026-12-06T10:00:00.123Z");

  /** Options for this test's database (the same database each call within a test). */
  protected abstract StoreOptions options();

  /** A direct connection to this test's database, to look at what the store wrote. */
  protected abstract Connection inspect() throws SQLException;

  private static NotificationAttempt attempt(
      String webhook, int n, NotificationAttempt.Outcome outcome, Optional<Integer> status) {
    return new NotificationAttempt(
        "delivery-" + webhook + "-" + n,
        "shop",
        webhook,
        "sync-failed",
        "application",
        "web-prod",
        n,
        outcome,
        status,
        status.map(s -> "HTTP " + s).orElse("connection refused or unreachable"),
        T0.plusSeconds(n));
  }

  @Test
  void attemptsAreReadBackNewestFirstAfterTheStoreIsOpenedAgain() {
    try (Store store = JdbcStore.open(options())) {
      store
          .notifications()
          .record(attempt("team", 1, NotificationAttempt.Outcome.RETRYING, Optional.empty()), 10);
      store
          .notifications()
          .record(attempt("team", 2, NotificationAttempt.Outcome.FAILED, Optional.of(503)), 10);
      store
          .notifications()
          .record(attempt("ops", 3, NotificationAttempt.Outcome.DELIVERED, Optional.of(200)), 10);
    }
    try (Store store = JdbcStore.open(options())) {
      assertThat(store.notifications().recent("shop", "team", 10))
          .containsExactly(
              attempt("team", 2, NotificationAttempt.Outcome.FAILED, Optional.of(503)),
              attempt("team", 1, NotificationAttempt.Outcome.RETRYING, Optional.empty()));
      assertThat(store.notifications().recent(2))
          .extracting(NotificationAttempt::webhook, NotificationAttempt::attempt)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("ops", 3),
              org.assertj.core.groups.Tuple.tuple("team", 2));
      assertThat(store.notifications().recent("shop", "nobody", 10)).isEmpty();
      assertThat(store.notifications().recent(0)).isEmpty();
    }
  }

  @Test
  void eachWebhookKeepsItsNewestAttemptsOnly() throws SQLException {
    try (Store store = JdbcStore.open(options())) {
      for (int n = 1; n <= 7; n++) {
        store
            .notifications()
            .record(attempt("team", n, NotificationAttempt.Outcome.FAILED, Optional.of(500)), 3);
      }
      store
          .notifications()
          .record(attempt("ops", 1, NotificationAttempt.Outcome.DELIVERED, Optional.of(200)), 3);
      assertThat(store.notifications().recent("shop", "team", 10))
          .extracting(NotificationAttempt::attempt)
          .containsExactly(7, 6, 5);
      assertThat(store.notifications().recent("shop", "ops", 10)).hasSize(1);
      assertThatThrownBy(
              () ->
                  store
                      .notifications()
                      .record(
                          attempt("team", 8, NotificationAttempt.Outcome.FAILED, Optional.empty()),
                          0))
          .isInstanceOf(IllegalArgumentException.class);
    }
    // The table itself holds no more than that: pruned in the same transaction as the insert.
    try (Connection connection = inspect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM notification_attempts")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(4);
    }
  }
}
