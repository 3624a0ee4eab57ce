package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;

/**
 * A fixed number of connections handed out one caller at a time. A connection that failed is
 * checked before it is used again and replaced when it is broken (a restarted PostgreSQL).
 */
final class ConnectionPool implements AutoCloseable {

  private static final int VALIDATION_TIMEOUT_SECONDS = 2;

  private final DataSource source;
  private final int size;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  ConnectionPool(DataSource source, int size) {
    this.source = source;
    this.size = size;
    this.permits = new Semaphore(size, true);
  }

  /** Runs the work on a connection of the pool, waiting for one if all are in use. */
  <T> T with(SqlWork<T> work) throws SQLException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("interrupted while waiting for a database connection");
    }
    try {
      if (closed) {
        throw new IllegalStateException("the store is closed");
      }
      Connection connection = idle.pollFirst();
      if (connection == null) {
        connection = source.getConnection();
      }
      boolean failed = true;
      try {
        T result = work.run(connection);
        failed = false;
        return result;
      } finally {
        giveBack(connection, failed);
      }
    } finally {
      permits.release();
    }
  }

  /**
   * Runs the work on each idle connection, only while no caller holds one: it takes every permit at
   * once or does nothing. A connection the work fails on is closed; the pool opens another when one
   * is needed.
   *
   * @return whether it ran; false when the pool was in use or closed
   */
  boolean onEveryIdle(SqlWork<?> work) {
    if (!permits.tryAcquire(size)) {
      return false;
    }
    try {
      if (closed) {
        return false;
      }
      for (Connection connection : idle) {
        try {
          work.run(connection);
        } catch (SQLException e) {
          idle.remove(connection);
          closeQuietly(connection);
        }
      }
      return true;
    } finally {
      permits.release(size);
    }
  }

  private void giveBack(Connection connection, boolean failed) {
    boolean usable;
    try {
      usable =
          !closed
              && !connection.isClosed()
              && connection.getAutoCommit()
              && (!failed || connection.isValid(VALIDATION_TIMEOUT_SECONDS));
    } catch (SQLException e) {
      usable = false;
    }
    if (usable) {
      idle.addFirst(connection);
    } else {
      closeQuietly(connection);
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing a broken connection can fail; there is nothing left to release then.
    }
  }
}
