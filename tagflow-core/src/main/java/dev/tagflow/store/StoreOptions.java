package dev.tagflow.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open the store, with defaults for everything but the database.
 *
 * @param database where the data lives
 * @param user the database user, when not in the URL (PostgreSQL)
 * @param password the database password, when not in the URL (PostgreSQL); never shown by {@code
 *     toString()} nor in any message
 * @param historyLimit how many sync history entries to keep per application: enough to roll back a
 *     few releases without the table growing forever (Argo CD keeps 10)
 * @param eventLimit how many events to keep per application: the log is for what happened lately,
 *     not an audit trail
 * @param maxConnections connections open at once: SQLite reads in parallel but writes through one
 *     connection; PostgreSQL serves them all, so this bounds what one Tagflow asks of a shared
 *     server
 * @param connectTimeout how long to wait for a PostgreSQL server that does not answer, so that a
 *     wrong host fails with a message instead of hanging the start
 * @param busyTimeout how long a SQLite write waits for another process holding the file (a second
 *     Tagflow, a backup) before it fails
 * @param clock when things were stored ({@code updatedAt}, {@code savedAt}): tests set it
 */
public record StoreOptions(
    DatabaseUrl database,
    Optional<String> user,
    Optional<String> password,
    int historyLimit,
    int eventLimit,
    int maxConnections,
    Duration connectTimeout,
    Duration busyTimeout,
    Clock clock) {

  public static final int DEFAULT_HISTORY_LIMIT = 10;
  public static final int DEFAULT_EVENT_LIMIT = 200;

  public StoreOptions {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(clock, "clock");
    if (historyLimit < 1 || eventLimit < 1 || maxConnections < 1) {
      throw new IllegalArgumentException(
          "historyLimit, eventLimit and maxConnections must be at least 1");
    }
  }

  /** The defaults for a database: 10 history entries and 200 events per application. */
  public static StoreOptions defaults(DatabaseUrl database) {
    return new StoreOptions(
        database,
        Optional.empty(),
        Optional.empty(),
        DEFAULT_HISTORY_LIMIT,
        DEFAULT_EVENT_LIMIT,
        8,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Clock.systemUTC());
  }

  public StoreOptions withCredentials(String user, String password) {
    return new StoreOptions(
        database,
        Optional.of(user),
        Optional.of(password),
        historyLimit,
        eventLimit,
        maxConnections,
        connectTimeout,
        busyTimeout,
        clock);
  }

  public StoreOptions withHistoryLimit(int limit) {
    return new StoreOptions(
        database,
        user,
        password,
        limit,
        eventLimit,
        maxConnections,
        connectTimeout,
        busyTimeout,
        clock);
  }

  public StoreOptions withEventLimit(int limit) {
    return new StoreOptions(
        database,
        user,
        password,
        historyLimit,
        limit,
        maxConnections,
        connectTimeout,
        busyTimeout,
        clock);
  }

  public StoreOptions withConnectTimeout(Duration timeout) {
    return new StoreOptions(
        database,
        user,
        password,
        historyLimit,
        eventLimit,
        maxConnections,
        timeout,
        busyTimeout,
        clock);
  }

  public StoreOptions withClock(Clock clock) {
    return new StoreOptions(
        database,
        user,
        password,
        historyLimit,
        eventLimit,
        maxConnections,
        connectTimeout,
        busyTimeout,
        clock);
  }

  @Override
  public String toString() {
    return "StoreOptions[database="
        + database.redacted()
        + ", user="
        + user.orElse("(from the URL)")
        + ", password="
        + (password.isPresent() ? "***" : "(none)")
        + ", historyLimit="
        + historyLimit
        + ", eventLimit="
        + eventLimit
        + ", maxConnections="
        + maxConnections
        + "]";
  }
}
