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
import java.util.concurrent.CountDownLatch;
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
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          long:
            steps:
              - run: |
                  echo started
                  sleep 600
        """;
    try (Store before = open()) {
      CountDownLatch started = new CountDownLatch(1);
      RunHandle running =
          new PipelineRunner(data, 2, Optional.of(before.runs()), Clock.systemUTC())
              .start(
                  request("r2", yaml),
                  line -> {
                    if (line.text().equals("started")) {
                      started.countDown();
                    }
                  });
      started.await();

      // Tagflow starting again on the same data directory (this process's run stands for the
      // one a killed server left behind; it is cancelled afterwards only to free the test).
      try (Store after = open()) {
        assertThat(
                new PipelineRunner(data, 2, Optional.of(after.runs()), Clock.systemUTC())
                    .markInterrupted())
            .containsExactly("r2");
        RunRecord run = after.runs().get("r2").orElseThrow();
        assertThat(run.status()).isEqualTo(RunRecord.RunStatus.INTERRUPTED);
        assertThat(Files.readString(data.resolve("runs/r2/log.txt")))
            .contains("long#0 started")
            .contains("interrupted: Tagflow stopped while the run went on");
        assertThat(
                new PipelineRunner(data, 2, Optional.of(after.runs()), Clock.systemUTC())
                    .markInterrupted())
            .isEmpty();
      }
      running.cancel("test over");
      running.await();
      assertThat(before.runs().get("r2").orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.INTERRUPTED);
    }
  }
}
