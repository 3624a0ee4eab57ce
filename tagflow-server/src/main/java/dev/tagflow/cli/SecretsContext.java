package dev.tagflow.cli;

import dev.tagflow.secret.SecretKeyFile;
import dev.tagflow.secret.Secrets;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;

/** The store and key file of one data directory, opened for one {@code tagflow secret} verb. */
final class SecretsContext implements AutoCloseable {

  private final JdbcStore store;
  private final Secrets secrets;

  SecretsContext(Path dataDir, String database) {
    // The key first: a key file others can read stops the verb before the database is touched.
    var cipher = SecretKeyFile.load(dataDir);
    DatabaseUrl url =
        database != null
            ? DatabaseUrl.parse(database, "--database")
            : DatabaseUrl.inDataDir(dataDir);
    this.store = JdbcStore.open(StoreOptions.defaults(url));
    this.secrets = new Secrets(store.secrets(), cipher);
  }

  Secrets secrets() {
    return secrets;
  }

  @Override
  public void close() {
    store.close();
  }
}
