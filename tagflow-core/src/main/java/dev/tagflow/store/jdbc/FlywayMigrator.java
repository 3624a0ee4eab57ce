package dev.tagflow.store.jdbc;

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
 * The migrations of {@code db/migration} applied with Flyway. Only a {@link MigrationClassLoader}
 * loads this class: public, with a public constructor, because {@code Migrations} reaches it from
 * another runtime package; nothing else in Tagflow names it, so Flyway's classes never load beside
 * Tagflow's own.
 */
public final class FlywayMigrator implements SchemaMigrator {

  static final String LOCATION = "classpath:db/migration";

  @Override
  public void migrate(DataSource source, Map<String, String> placeholders) {
    try {
      Flyway flyway =
          Flyway.configure(FlywayMigrator.class.getClassLoader())
              .dataSource(source)
              .locations(LOCATION)
              .placeholders(placeholders)
              .failOnMissingLocations(true)
              .cleanDisabled(true)
              .load();
      refuseNewerSchema(flyway.info());
      flyway.migrate();
    } catch (FlywayException e) {
      throw new Failed(e.getMessage(), e);
    }
  }

  private static void refuseNewerSchema(MigrationInfoService info) {
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
    throw new NewerSchema(
        future.stream()
            .map(m -> m.getVersion() + " (" + m.getDescription() + ")")
            .collect(Collectors.joining(", ")),
        known.toString());
  }
}
