package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Brings a database's schema to this Tagflow's version with the Flyway migrations in {@code
 * db/migration}, and refuses a database a newer Tagflow has written. Flyway runs in a class loader
 * of its own ({@link MigrationClassLoader}), dropped when it is done.
 */
final class Migrations {

  private static final String DIRECTORY = "db/migration";
  private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__[^/]*\\.sql");

  private final DataSource source;
  private final Dialect dialect;
  private final String where;
  private final Redaction redaction;

  /**
   * @param where the database, as messages may show it (no password)
   */
  Migrations(DataSource source, Dialect dialect, String where, Redaction redaction) {
    this.source = source;
    this.dialect = dialect;
    this.where = where;
    this.redaction = redaction;
  }

  /** Applies the migrations this database lacks; nothing when it is up to date. */
  void migrate() {
    if (upToDate()) {
      // Every start of a CLI verb opens the store: Flyway (a thousand classes, a quarter of a
      // second of CPU) only when there is something to apply, refuse or report.
      return;
    }
    try {
      runIsolated(new MigrationClassLoader(Migrations.class.getClassLoader()));
    } catch (SchemaMigrator.NewerSchema newer) {
      throw TagflowException.failed(
          "the database "
              + where
              + " was written by a newer Tagflow: it has schema version "
              + newer.versions()
              + ", and this Tagflow knows versions up to "
              + newer.known()
              + ". Run the newer Tagflow, or point database: at another database; this one is left"
              + " as it is");
    } catch (SchemaMigrator.Failed e) {
      throw TagflowException.failed(
          "could not bring the schema of the database "
              + where
              + " to this Tagflow's version: "
              + redaction.clause(e.getMessage())
              + ". A failed migration is rolled back; fix its cause and start Tagflow again",
          redaction.safeCause(e.getCause()));
    }
  }

  /**
   * Runs Flyway from that loader on a thread of its own, which ends with the run: what Flyway or
   * Jackson keep in thread-locals goes with it, and nothing is left that holds the loader.
   */
  void runIsolated(MigrationClassLoader loader) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .name("store-migrations")
            .unstarted(
                () -> {
                  try {
                    loader.migrator().migrate(source, Map.of("binary", dialect.binaryType()));
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    thread.setContextClassLoader(loader);
    thread.start();
    joinUninterruptibly(thread);
    switch (failure.get()) {
      case null -> {}
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      case Throwable t -> throw new IllegalStateException(t);
    }
  }

  /** A migration half done is not left behind: the caller's interrupt waits for its end. */
  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether the schema history holds exactly the versioned migrations this Tagflow has, all applied
   * successfully. Anything else (a new database, one migration missing, a newer or failed one, a
   * repeatable migration, a history that cannot be read) is Flyway's to handle. What Flyway would
   * add here is the check of each applied file's checksum, which only a changed migration file (a
   * developer's mistake) fails.
   */
  private boolean upToDate() {
    Set<String> shipped = shippedVersions();
    if (shipped.isEmpty()) {
      return false;
    }
    Set<String> applied = new HashSet<>();
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT version, success FROM flyway_schema_history")) {
      while (rows.next()) {
        if (rows.getString(1) == null || !rows.getBoolean(2)) {
          return false;
        }
        applied.add(rows.getString(1));
      }
    } catch (SQLException noHistoryYet) {
      return false;
    }
    return applied.equals(shipped);
  }

  /**
   * The versions of the {@code V<version>__<description>.sql} files in {@code db/migration} on the
   * class path (a jar or a directory); empty when a file is of another kind or cannot be listed.
   */
  private static Set<String> shippedVersions() {
    Set<String> versions = new HashSet<>();
    try {
      Enumeration<URL> locations = Migrations.class.getClassLoader().getResources(DIRECTORY);
      while (locations.hasMoreElements()) {
        for (String file : filesIn(locations.nextElement())) {
          Matcher versioned = VERSIONED.matcher(file);
          if (!versioned.matches()) {
            return Set.of();
          }
          versions.add(versioned.group(1).replace('_', '.'));
        }
      }
    } catch (IOException | URISyntaxException e) {
      return Set.of();
    }
    return versions;
  }

  private static List<String> filesIn(URL location) throws IOException, URISyntaxException {
    if (location.getProtocol().equals("file")) {
      try (Stream<Path> files = Files.list(Path.of(location.toURI()))) {
        return files.map(file -> file.getFileName().toString()).toList();
      }
    }
    if (location.openConnection() instanceof JarURLConnection jar) {
      return jar.getJarFile().stream()
          .map(JarEntry::getName)
          .filter(name -> name.startsWith(DIRECTORY + "/") && !name.endsWith("/"))
          .map(name -> name.substring(DIRECTORY.length() + 1))
          .toList();
    }
    return List.of("?"); // not a kind of location this can list: Flyway will
  }
}
