package dev.tagflow.store;

import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A JVM that writes to a SQLite store round after round, saying {@code WROTE <n>} after each, until
 * it is killed; run by {@link SqliteCrashIT}.
 */
public final class StoreWriterMain {

  static final int APPLICATIONS = 4;

  private StoreWriterMain() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir)))) {
      for (int round = 1; ; round++) {
        String app = application(round);
        // Every third round renders new manifests, so pruning also removes manifests.
        String hash = store.manifests().put(bytes(app + " manifests " + round / 3));
        store.operations().save(app, bytes("{\"round\":" + round + "}"));
        store
            .history()
            .record(
                app,
                SyncRecord.started(
                    "c" + round, "main", hash, SyncTrigger.AUTOMATION, Instant.now()));
        store
            .events()
            .append(new Event(app, Instant.now(), EventType.NORMAL, "Synced", "" + round));
        store.statuses().put(app, 1, "{\"round\":" + round + "}");
        System.out.println("WROTE " + round);
        System.out.flush();
      }
    }
  }

  static String application(int round) {
    return "app-" + round % APPLICATIONS;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
