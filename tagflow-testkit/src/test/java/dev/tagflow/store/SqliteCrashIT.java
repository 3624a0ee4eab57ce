package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.store.jdbc.JdbcStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed while it writes leaves a SQLite store whole, with every reported write in it.
 */
class SqliteCrashIT {

  private static final int ROUNDS_BEFORE_KILL = 150;

  @Test
  void aWriterKilledWithSigkillLosesNoCommittedWriteAndLeavesNoHalfWrite(@TempDir Path dataDir)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StoreWriterMain.class.getName(),
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    int lastReported = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("WROTE ")) {
          lastReported = Integer.parseInt(line.substring("WROTE ".length()));
          if (lastReported >= ROUNDS_BEFORE_KILL) {
            jvm.destroyForcibly(); // SIGKILL, in the middle of the next round's writes.
            break;
          }
        }
      }
    } finally {
      jvm.destroyForcibly();
      jvm.waitFor();
    }
    int last = lastReported;
    assertThat(last).as("the writer ran").isEqualTo(ROUNDS_BEFORE_KILL);

    try (Connection connection =
            DriverManager.getConnection(DatabaseUrl.inDataDir(dataDir).jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
      check.next();
      assertThat(check.getString(1)).isEqualTo("ok");
    }
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir)))) {
      String app = StoreWriterMain.application(last);
      assertThat(store.history().list(app))
          .as("the last reported round's entry survived")
          .anySatisfy(e -> assertThat(e.sync().commit()).isEqualTo("c" + last));
      for (int a = 0; a < StoreWriterMain.APPLICATIONS; a++) {
        List<HistoryEntry> entries = store.history().list("app-" + a);
        assertThat(entries).hasSize(StoreOptions.DEFAULT_HISTORY_LIMIT);
        // Ids without gaps: a prune never half-happened.
        long newest = entries.getFirst().id();
        for (int i = 0; i < entries.size(); i++) {
          assertThat(entries.get(i).id()).isEqualTo(newest - i);
        }
        assertThat(entries)
            .allSatisfy(
                e -> assertThat(store.manifests().contains(e.sync().manifestsHash())).isTrue());
        assertThat(store.operations().load("app-" + a)).isPresent();
      }
    }
  }
}
