package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings a database's schema to this Tagflow's version with the Flyway migrations in {@code
 * db/migration}, and refuses a database a newer Tagflow has written.
 */
final class Migrations {

  static final String LOCATION = "classpath:db/migration";

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
    Flyway flyway = flyway(LOCATION);
    try {
      refuseNewerSchema(flyway.info());
      flyway.migrate();
    } catch (FlywayException e) {
      throw TagflowException.failed(
          "could not bring the schema of the database "
              + where
              + " to this Tagflow's version: "
              + redaction.clause(e.getMessage())
              + ". A failed migration is rolled back; fix its cause and start Tagflow again",
          redaction.safeCause(e));
    }
  }

  /** Flyway on this database, with the migrations in those locations. */
  Flyway flyway(String... locations) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(source)
        .locations(locations)
        .placeholders(Map.of("binary", dialect.binaryType()))
        .failOnMissingLocations(true)
        .cleanDisabled(true)
        .load();
  }

  private void refuseNewerSchema(MigrationInfoService info) {
    List<MigrationInfo> future =
        Arrays.stream(info.applied())
            .filter(
                m ->
                    m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED)
            .toList();
    if (future.isEmpty()) {
      return;
    }
    MigrationVersion known =
        Arrays.stream(info.all())
            .filter(m -> m.getState().isResolved() && m.getVersion() != null)
            .map(MigrationInfo::getVersion)
            .max(MigrationVersion::compareTo)
            .orElse(MigrationVersion.EMPTY);
    String versions =
        future.stream()
            .map(m -> m.getVersion() + " (" + m.getDescription() + ")")
            .collect(Collectors.joining(", "));
    throw TagflowException.failed(
        "the database "
            + where
            + " was written by a newer Tagflow: it has schema version "
            + versions
            + ", and this Tagflow knows versions up to "
            + known
            + ". Run the newer Tagflow, or point database: at another database; this one is left"
            + " as it is");
  }
}
