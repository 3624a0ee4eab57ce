package dev.tagflow.cli;

import dev.tagflow.server.auth.ApiTokens;
import dev.tagflow.server.auth.PasswordHasher;
import dev.tagflow.server.auth.Users;
import dev.tagflow.store.AuditEntry;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Clock;

/** The store of one data directory, opened for one {@code tagflow token|user|audit} verb. */
final class AccessContext implements AutoCloseable {

  private final JdbcStore store;
  private final Clock clock = Clock.systemUTC();

  AccessContext(Path dataDir, String database) {
    DatabaseUrl url =
        database != null
            ? DatabaseUrl.parse(database, "--database")
            : DatabaseUrl.inDataDir(dataDir);
    this.store = JdbcStore.open(StoreOptions.defaults(url));
  }

  ApiTokens tokens() {
    return new ApiTokens(store.access(), clock);
  }

  Users users() {
    return new Users(store.access(), PasswordHasher.owasp(), clock);
  }

  JdbcStore store() {
    return store;
  }

  /** Records a change made from the command line: the OS user, address {@code local}. */
  void audit(String action, String object, String result) {
    store
        .audit()
        .record(
            new AuditEntry(
                clock.instant(),
                "cli:" + System.getProperty("user.name", "unknown"),
                action,
                object,
                "local",
                result));
  }

  @Override
  public void close() {
    store.close();
  }
}
