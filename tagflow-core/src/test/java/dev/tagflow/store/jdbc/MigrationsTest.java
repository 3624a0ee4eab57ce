package dev.tagflow.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * Flyway in a class loader of its own, on a real SQLite file. The store's behaviour through the
 * migrations (newer schemas, failed histories) is tested on both databases in tagflow-testkit's
 * {@code StoreContract}.
 */
class MigrationsTest {

  @Test
  void flywayAndJacksonComeFromTheMigrationsLoaderAndNothingElse() throws Exception {
    MigrationClassLoader loader = new MigrationClassLoader(getClass().getClassLoader());

    assertThat(loader.loadClass("org.flywaydb.core.Flyway").getClassLoader()).isSameAs(loader);
    assertThat(loader.loadClass("tools.jackson.databind.ObjectMapper").getClassLoader())
        .isSameAs(loader);
    assertThat(loader.migrator().getClass().getClassLoader()).isSameAs(loader);
    // The one type both sides share, and everything else, come from the parent.
    assertThat(loader.loadClass(SchemaMigrator.class.getName())).isSameAs(SchemaMigrator.class);
    assertThat(loader.loadClass(Migrations.class.getName())).isSameAs(Migrations.class);
    assertThat(loader.loadClass("org.slf4j.Logger").getClassLoader())
        .isSameAs(getClass().getClassLoader());
    // Flyway's class files carry where they came from, as the parent's would.
    assertThat(
            loader
                .loadClass("org.flywaydb.core.Flyway")
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString())
        .contains("flyway-core");
  }

  @Test
  void migratesAndLeavesNothingThatHoldsFlywaysClasses(@TempDir Path dir) throws Exception {
    SQLiteDataSource source = sqliteIn(dir);
    Migrations migrations = migrationsOn(source);

    WeakReference<ClassLoader> loader = runAndForget(migrations);

    assertThat(appliedMigrations(source)).isGreaterThanOrEqualTo(8);
    // Collected once nothing holds it: each poll asks for a collection until it is.
    await("the migrations' class loader, and with it Flyway's classes, can be unloaded")
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              System.gc();
              return loader.get() == null;
            });
    assertThat(loader.get()).isNull();
  }

  @Test
  void migratingAnUpToDateDatabaseAgainChangesNothing(@TempDir Path dir) throws Exception {
    SQLiteDataSource source = sqliteIn(dir);
    Migrations migrations = migrationsOn(source);
    migrations.migrate();
    int applied = appliedMigrations(source);

    migrations.migrate();

    assertThat(appliedMigrations(source)).isEqualTo(applied);
  }

  @Test
  void noTagflowClassButFlywayMigratorNamesAFlywayClass() throws Exception {
    // A class of the parent that named one would load Flyway beside Tagflow's own classes again.
    Path classes =
        Path.of(Migrations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> naming;
    try (Stream<Path> files = Files.walk(classes)) {
      naming =
          files
              .filter(file -> file.toString().endsWith(".class"))
              .filter(file -> contains(file, "org/flywaydb/"))
              .map(file -> classes.relativize(file).toString())
              .sorted()
              .toList();
    }
    assertThat(naming).containsExactly("dev/tagflow/store/jdbc/FlywayMigrator.class");
  }

  private static boolean contains(Path file, String text) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SQLiteDataSource sqliteIn(Path dir) {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + dir.resolve("tagflow.db"));
    return source;
  }

  private static Migrations migrationsOn(SQLiteDataSource source) {
    return new Migrations(source, Dialect.SQLITE, "tagflow.db", new Redaction(List.of()));
  }

  /** In a method of its own, so that no local of the test's frame keeps the loader. */
  private static WeakReference<ClassLoader> runAndForget(Migrations migrations) {
    MigrationClassLoader loader = new MigrationClassLoader(MigrationsTest.class.getClassLoader());
    migrations.runIsolated(loader);
    return new WeakReference<>(loader);
  }

  private static int appliedMigrations(SQLiteDataSource source) throws SQLException {
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT"
                    + " NULL")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
