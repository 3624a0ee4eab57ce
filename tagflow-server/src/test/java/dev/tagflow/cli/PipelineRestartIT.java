package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code tagflow server} as a process, a tag pushed with the real {@code git push --tags} to its
 * Git server: the run is followed, listed and shown with {@code tagflow runs}; a server killed with
 * SIGKILL while a step sleeps marks that run interrupted at its next start, its log kept, and
 * {@code tagflow runs rerun} runs it again; a server stopped with SIGTERM cancels its running run
 * (the step's process killed) and records it interrupted.
 */
class PipelineRestartIT {

  private static final String TOKEN = "tf_pipeline_restart_it_token_0123456789";

  // Kept when the test fails: the servers' logs are in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private ServerProcess server;
  private Path data;
  private Path markers;

  @BeforeEach
  void setUp() throws Exception {
    server = new ServerProcess(temp, TOKEN);
    data = server.data();
    markers = Files.createDirectories(temp.resolve("markers"));
    server.host("app");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    // A step a SIGKILLed server left behind (see the first test).
    Path pid = markers.resolve("sleep.pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aRunCutShortBySigkillIsInterruptedWithItsLogKeptAndRunsAgain() throws Exception {
    server.start();
    GitWorkTree work = pushTag();
    String head = work.head();

    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(markers.resolve("sleep.pid")) || !server.alive());
      server.assertAlive();
      RunRecord running = store.runs().latest(10).getFirst();
      assertThat(running.status()).isEqualTo(RunRecord.RunStatus.RUNNING);
      assertThat(running.ref()).isEqualTo("refs/tags/v1.2.3");
      assertThat(running.commit()).isEqualTo(head);
      // The step wrote its pid file before the server had read its echo from the pipe; a SIGKILL
      // in between loses that line, so kill only once the log holds it.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(Path.of(running.log())).contains("sleeping at v1.2.3"));

      // tagflow runs logs -f follows the running run; it ends once the restart marks it.
      Path followed = temp.resolve("follow.out");
      Process follow =
          TagflowProcess.of(
                  List.of("runs", "logs", running.runId(), "-f", "--data-dir", data.toString()),
                  followed,
                  temp.resolve("follow.err"))
              .start();

      server.kill(); // SIGKILL: no shutdown hook runs
      assertThat(store.runs().get(running.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.RUNNING);

      server.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> store.runs().get(running.runId()).orElseThrow().status().isEnded());
      assertThat(store.runs().get(running.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.INTERRUPTED);
      String log = Files.readString(Path.of(running.log()));
      assertThat(log).contains("sleeping at v1.2.3 " + head).contains("interrupted");

      assertThat(follow.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(follow.exitValue()).isZero();
      assertThat(Files.readString(followed))
          .contains("sleeping at v1.2.3 " + head)
          .contains("interrupted");

      ServerProcess.Result list = server.tagflow("runs", "list", "-o", "json", "--ref", "v1.2.3");
      assertThat(list.exit()).as(list.err()).isZero();
      JsonNode listed = PlainJson.MAPPER.readTree(list.out());
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).path("status").asText()).isEqualTo("interrupted");
      assertThat(listed.get(0).path("repository").asText()).isEqualTo("git/app");

      ServerProcess.Result rerun = server.tagflow("runs", "rerun", running.runId());
      assertThat(rerun.exit()).as(rerun.out() + rerun.err()).isZero();
      assertThat(rerun.out()).contains("success");
      assertThat(Files.readString(markers.resolve("done")).strip()).isEqualTo("v1.2.3 " + head);

      RunRecord again = store.runs().latest(10).getFirst();
      assertThat(again.runId()).isNotEqualTo(running.runId());
      assertThat(again.status()).isEqualTo(RunRecord.RunStatus.SUCCESS);
      ServerProcess.Result show = server.tagflow("runs", "show", again.runId());
      assertThat(show.exit()).as(show.err()).isZero();
      assertThat(show.out())
          .contains("status:     success")
          .contains("job release: success")
          .contains("step 0 ")
          .contains("output version=v1.2.3");
      ServerProcess.Result logs = server.tagflow("runs", "logs", again.runId());
      assertThat(logs.exit()).as(logs.err()).isZero();
      assertThat(logs.out()).contains("done at v1.2.3 " + head);
    }
  }

  @Test
  void aServerStoppedWithSigtermCancelsItsRunAndRecordsItInterrupted() throws Exception {
    server.start();
    pushTag();
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(markers.resolve("sleep.pid")) || !server.alive());
      long sleeper = Long.parseLong(Files.readString(markers.resolve("sleep.pid")).strip());
      RunRecord running = store.runs().latest(10).getFirst();

      server.stop(); // SIGTERM: the shutdown hook runs

      assertThat(store.runs().get(running.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.INTERRUPTED);
      // The kill was sent before the server exited; the process goes once the signal lands.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
      assertThat(Files.readString(Path.of(running.log()))).contains("Tagflow server stopping");
    }
  }

  @Test
  void runsCancelStopsARunOfTheRunningServerAndLeavesNoProcessBehind() throws Exception {
    server.start();
    pushTag();
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(markers.resolve("sleep.pid")) || !server.alive());
      long sleeper = Long.parseLong(Files.readString(markers.resolve("sleep.pid")).strip());
      RunRecord running = store.runs().latest(10).getFirst();

      ServerProcess.Result cancel = server.tagflow("runs", "cancel", running.runId());
      assertThat(cancel.exit()).as(cancel.err()).isZero();
      assertThat(cancel.out()).contains("cancel of run " + running.runId() + " requested");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> store.runs().get(running.runId()).orElseThrow().status().isEnded());

      assertThat(store.runs().get(running.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.CANCELLED);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
      server.assertAlive();
      ServerProcess.Result again = server.tagflow("runs", "cancel", running.runId());
      assertThat(again.exit()).isEqualTo(2);
      assertThat(again.err()).contains("is not running (it is cancelled)");
    }
  }

  private GitWorkTree pushTag() throws Exception {
    GitWorkTree work =
        GitWorkTree.init(temp.resolve("work"))
            .write(
                ".github/workflows/release.yml",
                """
                on:
                  push:
                    tags: ['v*']
                jobs:
                  release:
                    runs-on: ubuntu-latest
                    steps:
                      - id: build
                        run: |
                          if [ ! -f "%1$s/slept" ]; then
                            touch "%1$s/slept"
                            echo "sleeping at $GITHUB_REF_NAME $GITHUB_SHA"
                            sleep 600 &
                            echo $! > "%1$s/sleep.pid"
                            wait
                          fi
                          echo "done at $GITHUB_REF_NAME $GITHUB_SHA"
                          echo "$GITHUB_REF_NAME $GITHUB_SHA" > "%1$s/done"
                          echo "version=$GITHUB_REF_NAME" >> "$GITHUB_OUTPUT"
                """
                    .formatted(markers))
            .commit("release workflow");
    String withToken = server.pushUrl("app");
    work.git("push", "-q", withToken, "main");
    work.git("tag", "-a", "v1.2.3", "-m", "release 1.2.3");
    work.git("push", "-q", "--tags", withToken);
    return work;
  }
}
