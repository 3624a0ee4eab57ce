package dev.tagflow.local.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalPostgresIT {

  @Test
  void runsAsAnUnprivilegedUserOnLoopbackAndStopsLeavingNothing() throws Exception {
    Path folder;
    long pid;
    try (LocalPostgres postgres = LocalPostgres.start()) {
      folder = postgres.folder();
      pid = postgres.process().pid();
      String url = postgres.createDatabase("app_one");
      assertThat(url).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/app_one");
      try (Connection connection = postgres.connect("app_one");
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT current_database(), current_setting('listen_addresses'),"
                      + " current_setting('unix_socket_directories')")) {
        rows.next();
        assertThat(rows.getString(1)).isEqualTo("app_one");
        assertThat(rows.getString(2)).isEqualTo("127.0.0.1");
        assertThat(rows.getString(3)).isEmpty();
      }
      Optional<String> user = ProcessHandle.of(pid).flatMap(h -> h.info().user());
      if ("root".equals(System.getProperty("user.name"))) {
        assertThat(user).isPresent().get().isNotEqualTo("root");
      }
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(folder).doesNotExist();
  }

  @Test
  void aServerOfAJvmKilledWithSigkillIsStoppedAndItsFolderRemovedByTheNextStart() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AttachedPostgresMain.class.getName())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("READY "));
      assertThat(line).as("the child JVM started PostgreSQL").isNotNull();
      String[] ready = line.split(" ");
      long pid = Long.parseLong(ready[1]);
      Path folder = Path.of(ready[2]);
      assertThat(ProcessHandle.of(pid)).isPresent();

      jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs, only the watchdog can clean up.
      jvm.waitFor();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
      assertThat(folder).exists();
      try (LocalPostgres next = LocalPostgres.start()) {
        assertThat(next.folder()).isNotEqualTo(folder);
      }
      assertThat(Files.exists(folder)).as("removed by the next start").isFalse();
    } finally {
      jvm.destroyForcibly();
    }
  }
}
