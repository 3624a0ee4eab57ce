package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run must never do, with real processes: show a secret (as given, split across two lines,
 * in base64, registered with ::add-mask::), or leave a process behind after a cancel or a timeout.
 */
class RunSafetyTest {

  static final String SECRET = "s3cr3t-Pa55w0rd-42";

  @TempDir Path dir;
  Path data;
  String commit;
  final List<LogLine> lines = new CopyOnWriteArrayList<>();

  @BeforeEach
  void repository() {
    data = dir.resolve("data");
    GitWorkTree.open(dir).git("init", "-q", "-b", "main", "app");
    GitWorkTree git = GitWorkTree.open(dir.resolve("app"));
    git.git("commit", "-q", "--allow-empty", "-m", "app");
    commit = git.git("rev-parse", "HEAD").strip();
  }

  RunRequest request(String id, String yaml, Map<String, String> secrets) {
    return new RunRequest(
        id,
        new WorkflowLoader().load(".github/workflows/release.yml", yaml),
        RunEvent.push(RefPush.tag("v1.2.3")),
        "shop/app",
        dir.resolve("app").toString(),
        commit,
        secrets,
        Map.of());
  }

  @Test
  void secretsNeverReachTheLogInAnyForm() throws Exception {
    String runtime = "generated-" + System.nanoTime();
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            outputs:
              leak: ${{ steps.s.outputs.token }}
            steps:
              - id: s
                env: {TOKEN: '${{ secrets.TOKEN }}', KEY: '${{ secrets.KEY }}'}
                run: |
                  echo "plain $TOKEN end"
                  echo "${TOKEN:0:7}"
                  echo "${TOKEN:7} tail"
                  printf '%%s' "$TOKEN" | base64
                  printf 'xx%%s' "$TOKEN" | base64
                  echo "$KEY"
                  echo "token=$TOKEN" >> "$GITHUB_OUTPUT"
                  echo "::error::failed with $TOKEN"
                  echo "## $TOKEN" >> "$GITHUB_STEP_SUMMARY"
                  R=%s
                  echo "::add-mask::$R"
                  echo "later $R"
                  printf '%%s' "$R" | base64
                  exit 1
        """
            .formatted(runtime);
    Map<String, String> secrets =
        Map.of("TOKEN", SECRET, "KEY", "-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----");

    RunResult result = new PipelineRunner(data, 2).run(request("mask", yaml, secrets), lines::add);

    String log = Files.readString(result.log());
    List<String> forbidden =
        List.of(
            SECRET,
            SECRET.substring(0, 7),
            SECRET.substring(7),
            base64(SECRET).substring(0, 20),
            base64("xx" + SECRET).substring(4, 20),
            "MIIEvQIBADANBg",
            runtime,
            base64(runtime).substring(0, 16));
    for (String value : forbidden) {
      assertThat(log).doesNotContain(value);
      assertThat(lines).extracting(LogLine::text).noneMatch(t -> t.contains(value));
    }
    assertThat(lines)
        .extracting(LogLine::text)
        .contains("plain *** end", "***", "*** tail", "later ***", "failed with ***");
    JobResult j = result.single("j").orElseThrow();
    assertThat(j.summary()).isEqualTo("## ***\n");
    assertThat(j.outputs()).doesNotContainKey("leak");
    assertThat(log).contains("output 'leak' holds a secret and is not passed on");
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void cancelKillsEveryProcessOfTheRun() throws Exception {
    long n = System.nanoTime() % 1000000;
    String marker = "3600." + n;
    String other = "3601." + n;
    // a foreground sleep, a background one, one that left its parent (a subshell's &), one in a
    // session of its own (setsid), and a parallel job: all must be gone when the run ends. Each
    // job says it is ready once its processes are there.
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          a:
            steps:
              - run: |
                  sleep %1$s &
                  ( sleep %1$s & )
                  bash -c 'sleep %1$s' &
                  ( setsid sleep %1$s < /dev/null > /dev/null 2>&1 & )
                  until [ "$(pgrep -fc 'sleep %1$s')" -ge 4 ]; do sleep 0.05; done
                  echo ready-a
                  sleep %1$s
              - if: always()
                run: echo "always runs after a cancel, as on GitHub"
          b:
            steps:
              - run: |
                  sleep %2$s &
                  until pgrep -f 'sleep %2$s' > /dev/null; do sleep 0.05; done
                  echo ready-b
                  wait
          c:
            needs: a
            steps: [{run: echo never}]
        """
            .formatted(marker, other);
    CountDownLatch ready = new CountDownLatch(2);
    RunHandle run =
        new PipelineRunner(data, 4)
            .start(
                request("cancel", yaml, Map.of()),
                line -> {
                  lines.add(line);
                  if (line.text().startsWith("ready-")) {
                    ready.countDown();
                  }
                });
    ready.await();
    assertThat(ProcessMarkers.running(marker)).hasSizeGreaterThanOrEqualTo(4);
    assertThat(ProcessMarkers.running(other)).hasSize(1);

    run.cancel("cancelled by the test");
    RunResult result = run.await();

    assertThat(ProcessMarkers.running(marker)).isEmpty();
    assertThat(ProcessMarkers.running(other)).isEmpty();
    assertThat(result.conclusion()).isEqualTo(Conclusion.CANCELLED);
    assertThat(result.single("a").orElseThrow().steps())
        .extracting(StepResult::conclusion)
        .containsExactly(Conclusion.CANCELLED, Conclusion.SUCCESS);
    assertThat(result.single("b").orElseThrow().conclusion()).isEqualTo(Conclusion.CANCELLED);
    assertThat(result.single("c").orElseThrow().conclusion()).isEqualTo(Conclusion.SKIPPED);
    assertThat(lines).extracting(LogLine::text).doesNotContain("never");
  }

  @Test
  void aStepPastItsTimeoutIsKilledWithItsChildren() throws Exception {
    String marker = "3600." + System.nanoTime() % 1000000;
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - timeout-minutes: 0.01
                run: |
                  ( sleep %1$s & )
                  sleep %1$s
              - if: always()
                id: after
                run: echo "ran=yes" >> "$GITHUB_OUTPUT"
        """
            .formatted(marker);

    RunResult result = new PipelineRunner(data, 2).run(request("timeout", yaml, Map.of()));

    assertThat(ProcessMarkers.running(marker)).isEmpty();
    JobResult j = result.single("j").orElseThrow();
    assertThat(j.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(j.steps().get(0).conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(j.steps().get(0).message()).startsWith("timed out");
    assertThat(j.steps().get(1).outputs()).containsEntry("ran", "yes");
  }

  @Test
  void backgroundProcessesLiveUntilTheirJobEndsAndNoLonger() throws Exception {
    String marker = "3600." + System.nanoTime() % 1000000;
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - run: (sleep %1$s &)
              - id: later
                run: echo "alive=$(pgrep -f 'sleep %1$s' >/dev/null && echo yes)" >> "$GITHUB_OUTPUT"
        """
            .formatted(marker);

    RunResult result = new PipelineRunner(data, 2).run(request("background", yaml, Map.of()));

    assertThat(result.single("j").orElseThrow().steps().get(1).outputs())
        .containsEntry("alive", "yes");
    assertThat(ProcessMarkers.running(marker)).isEmpty();
  }

  @Test
  void aJobPastItsTimeoutFails() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            timeout-minutes: 0.01
            steps:
              - run: sleep 600
              - run: echo never
          k:
            needs: j
            steps: [{run: echo never}]
        """;

    RunResult result = new PipelineRunner(data, 2).run(request("jobtimeout", yaml, Map.of()));

    JobResult j = result.single("j").orElseThrow();
    assertThat(j.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(j.message()).contains("timed out");
    assertThat(j.steps())
        .extracting(StepResult::conclusion)
        .containsExactly(Conclusion.FAILURE, Conclusion.SKIPPED);
    assertThat(result.single("k").orElseThrow().conclusion()).isEqualTo(Conclusion.SKIPPED);
  }

  @Test
  void theLogFileIsWrittenWhileTheRunGoes() throws IOException, InterruptedException {
    String yaml = "on: {push: {tags: ['v*']}}\njobs: {j: {steps: [{run: 'echo one; echo two'}]}}\n";
    RunResult result = new PipelineRunner(data, 2).run(request("logfile", yaml, Map.of()));

    assertThat(result.log()).isEqualTo(data.resolve("runs/logfile/log.txt"));
    assertThat(Files.readAllLines(result.log()))
        .filteredOn(l -> l.contains(" j#0 "))
        .extracting(l -> l.substring(l.indexOf(" j#0 ") + 5))
        .containsSubsequence("[runner] ▶ Run echo one; echo two", "one", "two");
  }
}
