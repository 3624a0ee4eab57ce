package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow server} as a process, a tag pushed with the real {@code git push --tags} to its
 * Git server: the run is followed, listed and shown with {@code tagflow runs}; a server killed with
 * SIGKILL while a step sleeps marks that run interrupted at its next start, its log kept, and
 * {@code tagflow runs rerun} runs it again; a server stopped with SIGTERM cancels its running run
 * (the step's process killed) and records it interrupted.
 */
class PipelineRestartIT {

  private static final String TOKEN = "tf_pipeline_restart_it_token_0123456789";
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  // Kept when the test fails: the servers' logs are in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private Path data;
  private Path markers;
  private List<String> serverArgs;
  private Process server;
  private int serverStarts;

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectories(temp.resolve("data"));
    markers = Files.createDirectories(temp.resolve("markers"));
    Path tokens = Files.writeString(temp.resolve("tokens"), TOKEN + "\n");
    new HostedRepositories(data.resolve("git")).create("app");
    serverArgs =
        List.of(
            "server",
            "--data-dir",
            data.toString(),
            "--port",
            "0",
            "--git-token-file",
            tokens.toString(),
            "--kubeconfig",
            temp.resolve("no-cluster").toString(),
            "--poll-interval",
            "10m");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
    }
    // A step a SIGKILLed server left behind (see the first test).
    Path pid = markers.resolve("sleep.pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aRunCutShortBySigkillIsInterruptedWithItsLogKeptAndRunsAgain() throws Exception {
    String url = startServer();
    GitWorkTree work = pushTag(url);
    String head = work.head();

    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(markers.resolve("sleep.pid")) || !server.isAlive());
      assertThat(server.isAlive()).as(Files.readString(temp.resolve("server-1.err"))).isTrue();
      RunRecord running = store.runs().latest(10).getFirst();
      assertThat(running.status()).isEqualTo(RunRecord.RunStatus.RUNNING);
      assertThat(running.ref()).isEqualTo("refs/tags/v1.2.3");
      assertThat(running.commit()).isEqualTo(head);

      // tagflow runs logs -f follows the running run; it ends once the restart marks it.
      Path followed = temp.resolve("follow.out");
      Process follow =
          TagflowProcess.of(
                  List.of("runs", "logs", running.runId(), "-f", "--data-dir", data.toString()),
                  followed,
                  temp.resolve("follow.err"))
              .start();

      server.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(store.runs().get(running.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.RUNNING);

      startServer();
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

      Result list = tagflow("runs", "list", "-o", "json", "--ref", "v1.2.3");
      assertThat(list.exit()).as(list.err()).isZero();
      JsonNode listed = new ObjectMapper().readTree(list.out());
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).path("status").asText()).isEqualTo("interrupted");
      assertThat(listed.get(0).path("repository").asText()).isEqualTo("git/app");

      Result rerun = tagflow("runs", "rerun", running.runId());
      assertThat(rerun.exit()).as(rerun.out() + rerun.err()).isZero();
      assertThat(rerun.out()).contains("success");
      assertThat(Files.readString(markers.resolve("done")).strip()).isEqualTo("v1.2.3 " + head);

      RunRecord again = store.runs().latest(10).getFirst();
      assertThat(again.runId()).isNotEqualTo(running.runId());
      assertThat(again.status()).isEqualTo(RunRecord.RunStatus.SUCCESS);
      Result show = tagflow("runs", "show", again.runId());
      assertThat(show.exit()).as(show.err()).isZero();
      assertThat(show.out())
          .contains("status:     success")
          .contains("job release: success")
          .contains("step 0 ")
          .contains("output version=v1.2.3");
      Result logs = tagflow("runs", "logs", again.runId());
      assertThat(logs.exit()).as(logs.err()).isZero();
      assertThat(logs.out()).contains("done at v1.2.3 " + head);
    }
  }

  @Test
  void aServerStoppedWithSigtermCancelsItsRunAndRecordsItInterrupted() throws Exception {
    String url = startServer();
    pushTag(url);
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(markers.resolve("sleep.pid")) || !server.isAlive());
      long sleeper = Long.parseLong(Files.readString(markers.resolve("sleep.pid")).strip());
      RunRecord running = store.runs().latest(10).getFirst();

      server.destroy(); // SIGTERM: the shutdown hook runs
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();

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
    String url = startServer();
    pushTag(url);
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(markers.resolve("sleep.pid")) || !server.isAlive());
      long sleeper = Long.parseLong(Files.readString(markers.resolve("sleep.pid")).strip());
      RunRecord running = store.runs().latest(10).getFirst();

      Result cancel = tagflow("runs", "cancel", running.runId());
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
      assertThat(server.isAlive()).isTrue();
      Result again = tagflow("runs", "cancel", running.runId());
      assertThat(again.exit()).isEqualTo(2);
      assertThat(again.err()).contains("is not running (it is cancelled)");
    }
  }

  private GitWorkTree pushTag(String url) throws Exception {
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
    String withToken = url.replace("http://", "http://tagflow:" + TOKEN + "@") + "/git/app.git";
    work.git("push", "-q", withToken, "main");
    work.git("tag", "-a", "v1.2.3", "-m", "release 1.2.3");
    work.git("push", "-q", "--tags", withToken);
    return work;
  }

  private String startServer() throws Exception {
    int n = ++serverStarts;
    Path out = temp.resolve("server-" + n + ".out");
    Path err = temp.resolve("server-" + n + ".err");
    server = TagflowProcess.of(serverArgs, out, err).start();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> LISTENING.matcher(Files.readString(out)).find() || !server.isAlive());
    assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
    Matcher matcher = LISTENING.matcher(Files.readString(out));
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  private Result tagflow(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(args));
    command.add("--data-dir");
    command.add(data.toString());
    Path out = Files.createTempFile(temp, "cli", ".out");
    Path err = Files.createTempFile(temp, "cli", ".err");
    Process process = TagflowProcess.of(command, out, err).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private record Result(int exit, String out, String err) {}
}
