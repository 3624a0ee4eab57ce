package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs real workflows with real processes against a real Git repository: ordering by needs,
 * parallel jobs, outputs, conditions, matrices, GitHub's files and variables, checkout.
 */
class PipelineRunnerTest {

  @TempDir Path dir;
  Path data;
  Path marks;
  Path repository;
  String commit;
  final List<LogLine> lines = new CopyOnWriteArrayList<>();

  @BeforeEach
  void repository() throws IOException {
    data = Files.createDirectories(dir.resolve("data"));
    marks = Files.createDirectories(dir.resolve("marks"));
    GitWorkTree.open(dir).git("init", "-q", "-b", "main", "app");
    repository = dir.resolve("app");
    GitWorkTree git = GitWorkTree.open(repository);
    Files.writeString(repository.resolve("VERSION"), "from the commit\n");
    git.git("add", "-A");
    git.git("commit", "-q", "-m", "app");
    git.git("tag", "v1.2.3");
    commit = git.git("rev-parse", "HEAD").strip();
  }

  RunResult run(String id, String yaml) throws InterruptedException {
    return run(id, yaml, Map.of());
  }

  RunResult run(String id, String yaml, Map<String, String> secrets) throws InterruptedException {
    return new PipelineRunner(data, 4).run(request(id, yaml, secrets), lines::add);
  }

  RunRequest request(String id, String yaml, Map<String, String> secrets) {
    return new RunRequest(
        id,
        new WorkflowLoader().load(".github/workflows/release.yml", yaml),
        RunEvent.push(RefPush.tag("v1.2.3")),
        "shop/app",
        repository.toString(),
        commit,
        secrets,
        Map.of("REGISTRY", "registry.local"));
  }

  String log(RunResult result) throws IOException {
    return Files.readString(result.log());
  }

  @Test
  void jobsRunInTheOrderOfNeedsAndIndependentJobsTogether() throws Exception {
    // a and b each wait for the other to have started: they can only both finish if they ran at
    // the same time. c needs both and writes when it starts. A start mark appears whole (written,
    // then renamed): the other job must not see the file before its time is in it.
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        env: {MARKS: %s}
        jobs:
          a:
            steps:
              - run: |
                  date +%%s%%N > $MARKS/a.tmp && mv $MARKS/a.tmp $MARKS/a.start
                  for i in $(seq 600); do [ -f $MARKS/b.start ] && break; sleep 0.1; done
                  [ -f $MARKS/b.start ]
                  date +%%s%%N > $MARKS/a.end
          b:
            steps:
              - run: |
                  date +%%s%%N > $MARKS/b.tmp && mv $MARKS/b.tmp $MARKS/b.start
                  for i in $(seq 600); do [ -f $MARKS/a.start ] && break; sleep 0.1; done
                  [ -f $MARKS/a.start ]
                  date +%%s%%N > $MARKS/b.end
          c:
            needs: [a, b]
            steps:
              - run: date +%%s%%N > $MARKS/c.start
        """
            .formatted(marks);

    RunResult result = run("order", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.SUCCESS);
    long cStart = mark("c.start");
    assertThat(cStart).isGreaterThanOrEqualTo(mark("a.end")).isGreaterThanOrEqualTo(mark("b.end"));
    assertThat(mark("a.start")).isLessThan(mark("b.end"));
    assertThat(mark("b.start")).isLessThan(mark("a.end"));
  }

  long mark(String name) throws IOException {
    return Long.parseLong(Files.readString(marks.resolve(name)).strip());
  }

  @Test
  void outputsPassFromStepsToJobsAndToTheJobsThatNeedThem() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          build:
            outputs:
              version: ${{ steps.v.outputs.version }}
              notes: ${{ steps.v.outputs.notes }}
            steps:
              - id: v
                run: |
                  echo "version=${GITHUB_REF_NAME#v}" >> "$GITHUB_OUTPUT"
                  { echo 'notes<<EOF'; echo 'line one'; echo 'line = two'; echo EOF; } >> "$GITHUB_OUTPUT"
              - id: again
                run: echo "seen=${{ steps.v.outputs.version }}-${{ steps.v.outcome }}" >> $GITHUB_OUTPUT
          deploy:
            needs: build
            steps:
              - id: d
                run: echo "got=${{ needs.build.outputs.version }}/${{ needs.build.result }}" >> $GITHUB_OUTPUT
        """;

    RunResult result = run("outputs", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.SUCCESS);
    JobResult build = result.single("build").orElseThrow();
    assertThat(build.outputs())
        .containsEntry("version", "1.2.3")
        .containsEntry("notes", "line one\nline = two");
    assertThat(build.steps().get(1).outputs()).containsEntry("seen", "1.2.3-success");
    assertThat(result.single("deploy").orElseThrow().steps().get(0).outputs())
        .containsEntry("got", "1.2.3/success");
  }

  @Test
  void aFailingStepStopsTheJobAndTheJobsThatNeedIt() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          test:
            steps:
              - run: 'false'
              - run: echo never
              - id: f
                if: failure()
                run: echo "ran=yes" >> $GITHUB_OUTPUT
              - id: a
                if: always()
                run: echo "ran=yes" >> $GITHUB_OUTPUT
          image:
            needs: test
            steps: [{run: echo image}]
          promote:
            needs: image
            steps: [{run: echo promote}]
          report:
            needs: test
            if: failure()
            steps: [{run: echo report}]
          tidy:
            needs: promote
            if: always()
            steps: [{run: echo tidy}]
        """;

    RunResult result = run("failing", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    JobResult test = result.single("test").orElseThrow();
    assertThat(test.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(test.steps())
        .extracting(StepResult::conclusion)
        .containsExactly(
            Conclusion.FAILURE, Conclusion.SKIPPED, Conclusion.SUCCESS, Conclusion.SUCCESS);
    assertThat(test.steps().get(0).exitCode()).contains(1);
    assertThat(result.single("image").orElseThrow().conclusion()).isEqualTo(Conclusion.SKIPPED);
    assertThat(result.single("promote").orElseThrow().conclusion()).isEqualTo(Conclusion.SKIPPED);
    assertThat(result.single("report").orElseThrow().conclusion()).isEqualTo(Conclusion.SUCCESS);
    assertThat(result.single("tidy").orElseThrow().conclusion()).isEqualTo(Conclusion.SUCCESS);
    assertThat(lines)
        .filteredOn(l -> l.kind() == LogLine.Kind.OUTPUT)
        .extracting(LogLine::text)
        .containsExactlyInAnyOrder("report", "tidy");
    assertThat(log(result)).contains("image [runner] skipped: a job it needs did not succeed");
  }

  @Test
  void continueOnErrorKeepsTheJobGoing() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - id: flaky
                continue-on-error: true
                run: exit 3
              - id: after
                run: echo "o=${{ steps.flaky.outcome }}/${{ steps.flaky.conclusion }}" >> $GITHUB_OUTPUT
        """;

    RunResult result = run("continue", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.SUCCESS);
    JobResult j = result.single("j").orElseThrow();
    assertThat(j.steps().get(0).exitCode()).contains(3);
    assertThat(j.steps().get(1).outputs()).containsEntry("o", "failure/success");
  }

  @Test
  void aMatrixRunsOneJobPerCombination() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          test:
            strategy:
              matrix:
                java: [17, 21]
                os: [linux, mac]
                exclude: [{java: 17, os: mac}]
                include: [{java: 25, os: linux, experimental: true}]
            outputs:
              last: ${{ steps.s.outputs.combo }}
            steps:
              - id: s
                run: echo "combo=${{ matrix.java }}-${{ matrix.os }}-${{ strategy.job-total }}" >> $GITHUB_OUTPUT
          after:
            needs: test
            steps:
              - run: echo "${{ needs.test.result }}"
        """;

    RunResult result = run("matrix", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.SUCCESS);
    assertThat(result.job("test"))
        .extracting(JobResult::key)
        .containsExactlyInAnyOrder(
            "test (17, linux)", "test (21, linux)", "test (21, mac)", "test (25, linux, true)");
    assertThat(result.job("test"))
        .extracting(j -> j.steps().get(0).outputs().get("combo"))
        .containsExactlyInAnyOrder("17-linux-4", "21-linux-4", "21-mac-4", "25-linux-4");
    assertThat(result.single("after").orElseThrow().conclusion()).isEqualTo(Conclusion.SUCCESS);
  }

  @Test
  void failFastCancelsTheOtherCombinations() throws Exception {
    String marker = "3600." + System.nanoTime() % 100000;
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          test:
            strategy: {matrix: {n: [fails, waits]}}
            steps:
              - run: |
                  if [ "${{ matrix.n }}" = fails ]; then
                    for i in $(seq 600); do [ -f %1$s/waiting ] && break; sleep 0.1; done
                    exit 1
                  fi
                  touch %1$s/waiting
                  sleep %2$s
        """
            .formatted(marks, marker);

    RunResult result = run("failfast", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(result.job("test"))
        .extracting(JobResult::key, JobResult::conclusion)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("test (fails)", Conclusion.FAILURE),
            org.assertj.core.groups.Tuple.tuple("test (waits)", Conclusion.CANCELLED));
    assertThat(ProcessMarkers.running(marker)).isEmpty();
  }

  @Test
  void githubFilesAndVariablesWorkAsOnGitHub() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        env: {LEVEL: workflow, OVER: workflow, GITHUB_OUTPUT: /dev/null, GITHUB_SHA: forged}
        defaults: {run: {working-directory: sub}}
        jobs:
          j:
            env: {OVER: job}
            defaults: {run: {working-directory: .}}
            steps:
              - run: |
                  mkdir -p sub bin
                  printf '#!/bin/sh\\necho tool-on-path\\n' > bin/tool && chmod +x bin/tool
                  echo "$PWD/bin" >> "$GITHUB_PATH"
                  echo "ADDED=from-env-file" >> "$GITHUB_ENV"
                  { echo 'MULTI<<END'; echo 'a'; echo 'b'; echo END; } >> "$GITHUB_ENV"
                  echo '## Release ${{ github.ref_name }}' >> "$GITHUB_STEP_SUMMARY"
              - id: v
                env: {OVER: step}
                run: |
                  {
                    echo "vars=$CI|$GITHUB_REF|$GITHUB_REF_NAME|$GITHUB_REF_TYPE|$GITHUB_SHA|$GITHUB_REPOSITORY|$GITHUB_RUN_ID|$GITHUB_EVENT_NAME"
                    echo "env=$LEVEL|$OVER|$ADDED|${{ env.ADDED }}|${{ vars.REGISTRY }}"
                    echo "tool=$(tool)"
                    echo "ws=$([ "$GITHUB_WORKSPACE" = "$PWD" ] && echo yes)"
                    echo "temp=$([ -d "$RUNNER_TEMP" ] && echo yes)"
                    echo "multi=$(echo "$MULTI" | tr '\\n' ,)"
                  } >> "$GITHUB_OUTPUT"
              - id: sh
                shell: sh
                run: echo "shell=sh" >> "$GITHUB_OUTPUT"
              - id: py
                shell: python
                run: |
                  import os
                  with open(os.environ["GITHUB_OUTPUT"], "a") as f:
                      f.write("py=" + os.environ["GITHUB_REF_NAME"] + "\\n")
              - id: pipefail
                continue-on-error: true
                run: 'false | true'
        """;

    RunResult result = run("files", yaml);

    JobResult j = result.single("j").orElseThrow();
    assertThat(result.conclusion()).isEqualTo(Conclusion.SUCCESS);
    Map<String, String> out = j.steps().get(1).outputs();
    assertThat(out.get("vars"))
        .isEqualTo("true|refs/tags/v1.2.3|v1.2.3|tag|" + commit + "|shop/app|files|push");
    assertThat(out.get("env"))
        .isEqualTo("workflow|step|from-env-file|from-env-file|registry.local");
    assertThat(out)
        .containsEntry("tool", "tool-on-path")
        .containsEntry("ws", "yes")
        .containsEntry("temp", "yes")
        .containsEntry("multi", "a,b,");
    assertThat(j.steps().get(2).outputs()).containsEntry("shell", "sh");
    assertThat(j.steps().get(3).outputs()).containsEntry("py", "v1.2.3");
    assertThat(j.steps().get(4).outcome()).isEqualTo(Conclusion.FAILURE);
    assertThat(j.summary()).isEqualTo("## Release v1.2.3\n");
  }

  @Test
  void anUnendedValueInAnEnvFileFailsTheStepWithItsLine() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - run: |
                  echo "ok=1" >> "$GITHUB_OUTPUT"
                  echo "notes<<EOF" >> "$GITHUB_OUTPUT"
                  echo "never ended" >> "$GITHUB_OUTPUT"
        """;

    RunResult result = run("envfile", yaml);

    StepResult step = result.single("j").orElseThrow().steps().get(0);
    assertThat(step.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(step.message())
        .isEqualTo("$GITHUB_OUTPUT line 2: the value of 'notes' is not ended by a line 'EOF'");
  }

  @Test
  void checkoutPutsTheRunsCommitInTheWorkspace() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: actions/checkout@v4
                with: {path: src, fetch-depth: 0}
              - id: c
                run: |
                  echo "head=$(git -C src rev-parse HEAD)" >> "$GITHUB_OUTPUT"
                  echo "file=$(cat src/VERSION)" >> "$GITHUB_OUTPUT"
              - uses: actions/checkout@v4
                with: {path: ../../elsewhere}
        """;

    RunResult result = run("checkout", yaml);

    JobResult j = result.single("j").orElseThrow();
    assertThat(j.steps().get(1).outputs())
        .containsEntry("head", commit)
        .containsEntry("file", "from the commit");
    assertThat(j.steps().get(2).conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(j.steps().get(2).message()).contains("leaves the workspace");
  }

  @Test
  void aLocalActionMissingFromTheWorkspaceFailsItsStepSayingSo() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: ./.github/actions/build
              - uses: actions/setup-java@v4
                with: {java-version: 21, distribution: temurin}
              - if: always()
                uses: ./.github/actions/build
        """;

    RunResult result = run("unsupported", yaml);

    JobResult j = result.single("j").orElseThrow();
    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(j.steps())
        .extracting(StepResult::conclusion)
        .containsExactly(Conclusion.FAILURE, Conclusion.SKIPPED, Conclusion.FAILURE);
    assertThat(j.steps().get(0).message())
        .contains("the local action ./.github/actions/build is not in the workspace");
    assertThat(j.steps().get(2).message())
        .contains("the local action ./.github/actions/build is not in the workspace");
  }

  @Test
  void setOutputStillWorksWithAWarningAndSetEnvIsRefused() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - id: s
                run: |
                  echo "::set-output name=old::value"
                  echo "::set-env name=X::y"
                  echo "::group::Build"
                  echo "::error file=App.java,line=3::it broke"
                  echo "::warning::careful"
                  echo "::endgroup::"
                  echo "::stop-commands::tok"
                  echo "::error::not a command now"
                  echo "::tok::"
        """;

    RunResult result = run("commands", yaml);

    assertThat(result.single("j").orElseThrow().steps().get(0).outputs())
        .containsEntry("old", "value");
    assertThat(lines)
        .extracting(LogLine::kind, LogLine::text)
        .contains(
            org.assertj.core.groups.Tuple.tuple(LogLine.Kind.GROUP, "Build"),
            org.assertj.core.groups.Tuple.tuple(LogLine.Kind.ERROR, "App.java:3: it broke"),
            org.assertj.core.groups.Tuple.tuple(LogLine.Kind.WARNING, "careful"),
            org.assertj.core.groups.Tuple.tuple(LogLine.Kind.END_GROUP, ""),
            org.assertj.core.groups.Tuple.tuple(LogLine.Kind.OUTPUT, "::error::not a command now"));
    assertThat(lines)
        .filteredOn(l -> l.kind() == LogLine.Kind.ERROR)
        .extracting(LogLine::text)
        .anyMatch(t -> t.contains("set-env") && t.contains("GITHUB_ENV"));
  }

  @Test
  void aRunIdIsUsedOnce() throws Exception {
    String yaml = "on: {push: {tags: ['v*']}}\njobs: {j: {steps: [{run: 'true'}]}}\n";
    run("once", yaml);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("once", yaml))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run once exists already");
  }
}
