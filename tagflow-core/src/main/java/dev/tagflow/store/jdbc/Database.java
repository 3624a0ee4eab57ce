package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connections to one database and the two ways to use them: a read, and a write that is one
 * transaction.
 *
 * <p>SQLite allows one writer at a time, so on SQLite every write goes through one connection, in
 * turn, each transaction begun {@code IMMEDIATE} (it holds the write lock from its start, so it
 * never fails half-way for want of it); reads use a pool of their own and, thanks to WAL, never
 * wait for a write. On PostgreSQL reads and writes share one pool and run side by side.
 */
final class Database implements AutoCloseable {

  private final Dialect dialect;
  private final String where;
  private final Redaction redaction;
  private final ConnectionPool readers;
  private final ConnectionPool writers;
  // SQLite only: the one write connection is used by one transaction at a time. A lock, not
  // synchronized, so that a virtual thread waiting for it does not hold its carrier.
  private final Optional<ReentrantLock> writeLock;

  private Database(
      Dialect dialect,
      String where,
      Redaction redaction,
      ConnectionPool readers,
      ConnectionPool writers,
      Optional<ReentrantLock> writeLock) {
    this.dialect = dialect;
    this.where = where;
    this.redaction = redaction;
    this.readers = readers;
    this.writers = writers;
    this.writeLock = writeLock;
  }

  /**
   * Connects, migrates the schema, and answers the database ready to use.
   *
   * @throws TagflowException when the database cannot be reached, refuses the credentials, or was
   *     written by a newer Tagflow; the message names the URL without its password
   */
  static Database open(StoreOptions options) {
    DatabaseUrl url = options.database();
    List<String> secrets = new ArrayList<>(url.secrets());
    options.password().ifPresent(secrets::add);
    Redaction redaction = new Redaction(secrets);
    String where = url.redacted();
    return switch (url) {
      case DatabaseUrl.Sqlite sqlite -> openSqlite(sqlite, options, where, redaction);
      case DatabaseUrl.Postgresql postgresql ->
          openPostgresql(postgresql, options, where, redaction);
    };
  }

  private static Database openSqlite(
      DatabaseUrl.Sqlite url, StoreOptions options, String where, Redaction redaction) {
    Path directory = url.file().getParent();
    if (directory != null && !Files.isDirectory(directory)) {
      throw TagflowException.failed(
          "could not open the database "
              + where
              + ": the directory "
              + directory
              + " does not exist; create it, or set database: to a file in a directory that"
              + " exists");
    }
    DataSource writeSource = sqliteSource(url, options, SQLiteConfig.TransactionMode.IMMEDIATE);
    DataSource readSource = sqliteSource(url, options, SQLiteConfig.TransactionMode.DEFERRED);
    probe(writeSource, where, redaction);
    new Migrations(writeSource, Dialect.SQLITE, where, redaction).migrate();
    return new Database(
        Dialect.SQLITE,
        where,
        redaction,
        new ConnectionPool(readSource, options.maxConnections()),
        new ConnectionPool(writeSource, 1),
        Optional.of(new ReentrantLock(true)));
  }

  private static DataSource sqliteSource(
      DatabaseUrl.Sqlite url, StoreOptions options, SQLiteConfig.TransactionMode mode) {
    SQLiteConfig config = new SQLiteConfig();
    // WAL: readers do not wait for the writer, and a killed process loses no committed write.
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL is durable across a process crash in WAL mode; only a power loss may lose the last
    // transactions, which the controller redoes from Git.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
    config.enforceForeignKeys(true);
    config.setTransactionMode(mode);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl(url.jdbcUrl());
    return source;
  }

  private static Database openPostgresql(
      DatabaseUrl.Postgresql url, StoreOptions options, String where, Redaction redaction) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    try {
      source.setURL(url.jdbcUrl());
    } catch (IllegalArgumentException e) {
      throw TagflowException.invalidInput(
          "the database URL "
              + where
              + " is not a PostgreSQL URL the driver can read ("
              + redaction.clause(e.getMessage())
              + "); write it as jdbc:postgresql://host:5432/<database>");
    }
    options.user().ifPresent(source::setUser);
    options.password().ifPresent(source::setPassword);
    int seconds = (int) Math.max(1, options.connectTimeout().toSeconds());
    source.setConnectTimeout(seconds);
    source.setLoginTimeout(seconds);
    source.setApplicationName("tagflow");
    source.setTcpKeepAlive(true);
    probe(source, where, redaction);
    new Migrations(source, Dialect.POSTGRESQL, where, redaction).migrate();
    ConnectionPool pool = new ConnectionPool(source, options.maxConnections());
    return new Database(Dialect.POSTGRESQL, where, redaction, pool, pool, Optional.empty());
  }

  /** Opens one connection, so that a wrong URL or password is one clear message. */
  private static void probe(DataSource source, String where, Redaction redaction) {
    try (Connection ignored = source.getConnection()) {
      // Connected: the URL, the server and the credentials are right.
    } catch (SQLException e) {
      throw TagflowException.failed(
          "could not connect to the database "
              + where
              + ": "
              + redaction.clause(e.getMessage())
              + ". Check database: in the server configuration (host, port, database name,"
              + " user and password) and that the database server is running",
          redaction.safeCause(e));
    }
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * Runs statements that only read.
   *
   * @param what what they do, for the error message ({@code read the history of web})
   */
  <T> T read(String what, SqlWork<T> work) {
    try {
      return readers.with(work);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Runs statements that write, as one transaction: all of them happen or none does. */
  <T> T write(String what, SqlWork<T> work) {
    writeLock.ifPresent(ReentrantLock::lock);
    try {
      return writers.with(connection -> inTransaction(connection, work));
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      writeLock.ifPresent(ReentrantLock::unlock);
    }
  }

  private static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        // The connection broke after the transaction ended; the pool sees it is not in autocommit
        // and replaces it, and what was committed stays committed.
      }
    }
  }

  private TagflowException failure(String what, SQLException e) {
    return TagflowException.failed(
        "could not " + what + " in the database " + where + ": " + redaction.clause(e.getMessage()),
        redaction.safeCause(e));
  }

  /**
   * Lets SQLite's connections give back the pages they cache ({@code PRAGMA shrink_memory}), each
   * pool only while no one uses it; the next reads fill the caches again. Each connection caches up
   * to 2 MB of pages (SQLite's default), so a server's nine up to 18 MB of native memory
   * (BENCHMARKS.md, "Memory at rest, part three"). A PostgreSQL connection keeps no such cache on
   * this side.
   */
  void releaseCaches() {
    if (dialect != Dialect.SQLITE) {
      return;
    }
    SqlWork<Void> shrink =
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA shrink_memory");
          }
          return null;
        };
    readers.onEveryIdle(shrink);
    writers.onEveryIdle(shrink);
  }

  @Override
  public void close() {
    readers.close();
    writers.close();
  }
}
