package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs recorded in a real SQLite store: when they start, how they end, and after a restart. */
class RunStoreTest {

  @TempDir Path data;
  String commit;

  @BeforeEach
  void repository() {
    GitWorkTree.open(data).git("init", "-q", "-b", "main", "app");
    GitWorkTree git = GitWorkTree.open(data.resolve("app"));
    git.git("commit", "-q", "--allow-empty", "-m", "app");
    commit = git.git("rev-parse", "HEAD").strip();
  }

  RunRequest request(String id, String yaml) {
    return new RunRequest(
        id,
        new WorkflowLoader().load(".github/workflows/release.yml", yaml),
        RunEvent.push(RefPush.tag("v1.2.3")),
        "shop/app",
        data.resolve("app").toString(),
        commit,
        Map.of("TOKEN", "hunter2-secret"),
        Map.of());
  }

  Store open() {
    return JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
  }

  @Test
  void aRunIsRecordedWhenItStartsAndWhenItEnds() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          build:
            steps:
              - id: v
                run: echo "version=1.2.3 ${{ secrets.TOKEN }}" >> "$GITHUB_OUTPUT"
              - run: exit 2
        """;
    try (Store store = open()) {
      PipelineRunner runner =
          new PipelineRunner(data, 2, Optional.of(store.runs()), Clock.systemUTC());
      runner.run(request("r1", yaml));

      RunRecord run = store.runs().get("r1").orElseThrow();
      assertThat(run.status()).isEqualTo(RunRecord.RunStatus.FAILURE);
      assertThat(run.ref()).isEqualTo("refs/tags/v1.2.3");
      assertThat(run.workflow()).isEqualTo(".github/workflows/release.yml");
      assertThat(run.finished()).isPresent();
      assertThat(run.log()).isEqualTo(data.resolve("runs/r1/log.txt").toString());
      assertThat(run.result().orElseThrow())
          .contains("\"key\":\"build\"", "\"exitCode\":2", "\"version\":\"1.2.3 ***\"")
          .doesNotContain("hunter2");
      assertThat(
              store.runs().forRef("shop/app", ".github/workflows/release.yml", "refs/tags/v1.2.3"))
          .extracting(RunRecord::runId)
          .containsExactly("r1");

      assertThatThrownBy(() -> runner.run(request("r1", yaml)))
          .hasMessageContaining("run r1 exists already");
    }
  }

  @Test
  void aRunStillRunningWhenTagflowStartsAgainIsMarkedInterruptedWithItsLogKept() throws Exception {
    // What a server killed mid-run leaves: the run recorded as running, its log, and a step's
    // process still alive with the run's marker. (A run of this JVM cannot stand for it: the
    // restart kills its step, and the live runner would record the end before the restart does.)
    Path log = Files.createDirectories(data.resolve("runs/r2")).resolve("log.txt");
    Files.writeString(log, "long#0 started\n");
    ProcessBuilder leftover = new ProcessBuilder("sleep", "600");
    leftover.environment().put(ProcessTree.RUN_MARKER, "r2");
    Process step = leftover.start();
    try (Store store = open()) {
      store
          .runs()
          .started(
              new RunRecord(
                  "r2",
                  "shop/app",
                  ".github/workflows/release.yml",
                  "refs/tags/v1.2.3",
                  commit,
                  "push",
                  RunRecord.RunStatus.RUNNING,
                  java.time.Instant.now(),
                  Optional.empty(),
                  log.toString(),
                  Optional.empty()));

      assertThat(
              new PipelineRunner(data, 2, Optional.of(store.runs()), Clock.systemUTC())
                  .markInterrupted())
          .containsExactly("r2");

      assertThat(step.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("the step's process left running is killed")
          .isTrue();
      RunRecord run = store.runs().get("r2").orElseThrow();
      assertThat(run.status()).isEqualTo(RunRecord.RunStatus.INTERRUPTED);
      assertThat(Files.readString(log))
          .contains("long#0 started")
          .contains("killed process " + step.pid())
          .contains("interrupted: Tagflow stopped while the run went on");
      assertThat(
              new PipelineRunner(data, 2, Optional.of(store.runs()), Clock.systemUTC())
                  .markInterrupted())
          .isEmpty();
    } finally {
      step.destroyForcibly();
    }
  }
}
