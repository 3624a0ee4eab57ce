package dev.tagflow.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The pool's work on its idle connections, on a real SQLite file. */
class ConnectionPoolTest {

  @TempDir Path dir;

  @Test
  void runsOnEveryIdleConnectionWhenNoneIsInUse() throws Exception {
    try (ConnectionPool pool = new ConnectionPool(source(), 3)) {
      Set<Connection> opened = openAtOnce(pool, 3);
      Set<Connection> seen = ConcurrentHashMap.newKeySet();

      boolean ran = pool.onEveryIdle(shrinkRecording(seen));

      assertThat(ran).isTrue();
      assertThat(seen).isEqualTo(opened);
    }
  }

  @Test
  void doesNothingWhileAConnectionIsInUse() throws Exception {
    try (ConnectionPool pool = new ConnectionPool(source(), 3)) {
      openAtOnce(pool, 2);
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      Thread user =
          use(
              pool,
              connection -> {
                holding.countDown();
                await(done);
                return null;
              });
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      Set<Connection> seen = ConcurrentHashMap.newKeySet();

      assertThat(pool.onEveryIdle(shrinkRecording(seen))).isFalse();
      assertThat(seen).isEmpty();

      done.countDown();
      user.join();
      assertThat(pool.onEveryIdle(shrinkRecording(seen))).isTrue();
      assertThat(seen).hasSize(2);
    }
  }

  @Test
  void aConnectionTheWorkFailsOnIsClosedAndTheNextCallerGetsAWorkingOne() throws Exception {
    try (ConnectionPool pool = new ConnectionPool(source(), 1)) {
      Connection first = openAtOnce(pool, 1).iterator().next();

      pool.onEveryIdle(
          connection -> {
            throw new SQLException("disk I/O error");
          });

      assertThat(first.isClosed()).isTrue();
      boolean nextIsOpen = pool.with(connection -> !connection.isClosed());
      Connection next = pool.with(connection -> connection);
      assertThat(nextIsOpen).isTrue();
      assertThat(next).isNotSameAs(first);
    }
  }

  @Test
  void doesNothingOnAClosedPool() throws Exception {
    ConnectionPool pool = new ConnectionPool(source(), 2);
    openAtOnce(pool, 2);
    pool.close();
    Set<Connection> seen = ConcurrentHashMap.newKeySet();

    assertThat(pool.onEveryIdle(shrinkRecording(seen))).isFalse();
    assertThat(seen).isEmpty();
  }

  private SQLiteDataSource source() {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + dir.resolve("tagflow.db"));
    return source;
  }

  /** Makes the pool open that many connections, by using them all at the same time. */
  private static Set<Connection> openAtOnce(ConnectionPool pool, int count) throws Exception {
    CountDownLatch together = new CountDownLatch(count);
    Set<Connection> used = ConcurrentHashMap.newKeySet();
    List<Thread> users = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      users.add(
          use(
              pool,
              connection -> {
                used.add(connection);
                together.countDown();
                await(together);
                return null;
              }));
    }
    for (Thread user : users) {
      user.join();
    }
    assertThat(used).hasSize(count);
    return used;
  }

  /** A virtual thread that runs the work on a connection of the pool. */
  private static Thread use(ConnectionPool pool, SqlWork<Void> work) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                pool.with(work);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other users of the pool did not come");
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SqlWork<Void> shrinkRecording(Set<Connection> seen) {
    return connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA shrink_memory");
      }
      seen.add(connection);
      return null;
    };
  }
}
