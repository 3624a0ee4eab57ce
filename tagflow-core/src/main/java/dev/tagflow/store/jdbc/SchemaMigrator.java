package dev.tagflow.store.jdbc;

import java.util.Map;
import javax.sql.DataSource;

/**
 * What {@code Migrations} asks of Flyway. The one type both sides of {@link MigrationClassLoader}
 * share, so it and what crosses it are public and of the JDK: the implementation lives in another
 * runtime package, its loader's.
 */
public interface SchemaMigrator {

  /**
   * Refuses a schema a newer Tagflow has written, else applies the migrations the database lacks.
   *
   * @param placeholders the values of the migrations' {@code ${name}} placeholders
   * @throws NewerSchema when the database has migrations this Tagflow does not know
   * @throws Failed when Flyway could not read the history or apply a migration
   */
  void migrate(DataSource source, Map<String, String> placeholders);

  /** The database has migrations this Tagflow does not know; nothing was changed. */
  final class NewerSchema extends RuntimeException {

    private final String versions;
    private final String known;

    /**
     * @param versions the unknown migrations, {@code 10 (webhooks), 11 (…)}
     * @param known the newest version this Tagflow has
     */
    public NewerSchema(String versions, String known) {
      super("schema versions " + versions + " are newer than " + known);
      this.versions = versions;
      this.known = known;
    }

    public String versions() {
      return versions;
    }

    public String known() {
      return known;
    }
  }

  /** Flyway failed; its message, which may repeat a password, still needs redaction. */
  final class Failed extends RuntimeException {

    public Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
