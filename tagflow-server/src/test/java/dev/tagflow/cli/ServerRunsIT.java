package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow server} as a process and the {@code tagflow} command line against it: a secret set
 * with the CLI reaches the run that names it and is masked everywhere; runs waiting for their turn
 * survive a stop; the processes of a SIGKILLed server's run are killed at its next start; a manual
 * run ({@code workflow_dispatch}) with typed inputs.
 */
class ServerRunsIT {

  private static final String TOKEN = "tf_server_runs_it_token_0123456789abcd";
  private static final String SECRET = "Sup3r-s3cret-Value-4711-xyzzy";

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
    try (Stream<Path> pids = Files.list(markers)) {
      for (Path pid : pids.filter(p -> p.toString().endsWith(".pid")).toList()) {
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void aSecretSetWithTheCliReachesTheRunThatNamesItAndIsMaskedEverywhere() throws Exception {
    Path value = Files.writeString(temp.resolve("value"), SECRET);
    ServerProcess.Result set =
        server.tagflow(
            "secret", "set", "DEPLOY_TOKEN", "--repo", "app", "--from-file", value.toString());
    assertThat(set.exit()).as(set.err()).isZero();
    Files.delete(value);
    // Another secret of the repository that the workflow does not name: it must not reach it.
    Path other = Files.writeString(temp.resolve("other"), "unnamed-secret-value-0815");
    assertThat(
            server
                .tagflow(
                    "secret", "set", "UNNAMED", "--repo", "app", "--from-file", other.toString())
                .exit())
        .isZero();
    Files.delete(other);

    server.start();
    GitWorkTree work =
        workflow(
            """
            on:
              push:
                tags: ['v*']
            jobs:
              release:
                runs-on: ubuntu-latest
                steps:
                  - env:
                      TOKEN: ${{ secrets.DEPLOY_TOKEN }}
                    run: |
                      echo "plain: ${{ secrets.deploy_token }}"
                      printf 'split: %%s\\n%%s\\n' "${TOKEN:0:12}" "${TOKEN:12}"
                      echo "base64: $(printf %%s "$TOKEN" | base64 -w0)"
                      echo "missing: [${{ secrets.NEVER_SET }}]"
                      echo "all: ${{ toJSON(secrets) }}"
                      echo "length=${#TOKEN}" >> "$GITHUB_OUTPUT"
                      echo done > "%s/done"
            """
                .formatted(markers));
    pushTag(work, "v1.2.3");

    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      RunRecord run = awaitEnded(store, "refs/tags/v1.2.3");
      assertThat(run.status())
          .as(Files.readString(Path.of(run.log())))
          .isEqualTo(RunRecord.RunStatus.SUCCESS);
      String log = Files.readString(Path.of(run.log()));
      assertThat(log)
          .contains("plain: ***")
          .contains("base64: ***")
          .contains("missing: []")
          // toJSON(secrets) holds the names the workflow uses only (echo drops the quotes).
          .contains("DEPLOY_TOKEN: ***")
          .doesNotContain("UNNAMED");
      assertThat(log).as("the step saw the value").doesNotContain("length=0");

      ServerProcess.Result show = server.tagflow("runs", "show", run.runId(), "-o", "json");
      ServerProcess.Result logs = server.tagflow("runs", "logs", run.runId());
      assertThat(show.out()).contains("\"length\"");
      assertThat(logs.out()).contains("plain: ***");
      assertThat(server.allErr()).contains("NEVER_SET").doesNotContain("unnamed-secret-value");

      List<String> forms =
          List.of(
              SECRET,
              SECRET.substring(12),
              Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
      for (String form : forms) {
        assertThat(run.toString()).doesNotContain(form);
        assertThat(store.runs().get(run.runId()).orElseThrow().result().orElseThrow())
            .doesNotContain(form);
        assertThat(show.out() + show.err() + logs.out() + logs.err()).doesNotContain(form);
        assertThat(server.allOut() + server.allErr()).doesNotContain(form);
      }
      // No file of the run's directory (log, workspace, step files) holds it.
      Path directory = Path.of(run.log()).getParent();
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          for (String form : forms) {
            assertThat(text).as(file.toString()).doesNotContain(form);
          }
        }
      }
    }
  }

  @Test
  void aStepLeftRunningBySigkilledServerIsKilledAtItsNextStartAndTheRunInterrupted()
      throws Exception {
    server.start();
    GitWorkTree work =
        workflow(
            """
            on:
              push:
                tags: ['v*']
            jobs:
              release:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      setsid sleep 600 > /dev/null 2>&1 < /dev/null &
                      echo $! > "%1$s/escaped.pid"
                      echo "started the sleeper"
                      wait
            """
                .formatted(markers));
    pushTag(work, "v1.2.3");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(markers.resolve("escaped.pid")) || !server.alive());
    long sleeper = Long.parseLong(Files.readString(markers.resolve("escaped.pid")).strip());
    assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive)).contains(true);

    server.kill(); // SIGKILL: no shutdown hook runs, nothing kills the step
    assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive))
        .as("the sleeper in its own session outlives the server")
        .contains(true);

    server.start();
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      RunRecord run = store.runs().latest(1).getFirst();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> store.runs().get(run.runId()).orElseThrow().status().isEnded());
      assertThat(store.runs().get(run.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.INTERRUPTED);
      // Killed before the run was marked; it is gone once whoever adopted it reaped it.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
      assertThat(server.allErr()).contains("killed process " + sleeper + " (sleep 600)");
      assertThat(Files.readString(Path.of(run.log())))
          .contains("killed process " + sleeper + " (sleep 600) left running when Tagflow stopped")
          .contains("interrupted");
    }
  }

  @Test
  void runsWaitingForTheirTurnSurviveAStopAndOneWhoseRepositoryIsGoneFailsSayingWhy()
      throws Exception {
    server.host("other");
    server.with("--max-runs", "1");
    server.start();
    GitWorkTree work =
        workflow(
            """
            on:
              push:
                tags: ['v*']
            jobs:
              release:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      if [ -f "%1$s/hold-$GITHUB_REF_NAME" ]; then
                        rm "%1$s/hold-$GITHUB_REF_NAME"
                        sleep 600 &
                        echo $! > "%1$s/$GITHUB_REF_NAME.pid"
                        wait
                      fi
                      echo "$GITHUB_SHA" > "%1$s/$GITHUB_REF_NAME"
            """
                .formatted(markers));
    Files.writeString(markers.resolve("hold-v1.0.0"), "");
    pushTag(work, "app", "v1.0.0");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(markers.resolve("v1.0.0.pid")) || !server.alive());
    pushTag(work, "app", "v2.0.0");
    pushTag(work, "other", "v3.0.0");
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  !runsOf(store, "git/app", "v2.0.0").isEmpty()
                      && !runsOf(store, "git/other", "v3.0.0").isEmpty());
      RunRecord second = runsOf(store, "git/app", "v2.0.0").getFirst();
      RunRecord third = runsOf(store, "git/other", "v3.0.0").getFirst();
      assertThat(second.status()).isEqualTo(RunRecord.RunStatus.QUEUED);
      assertThat(third.status()).isEqualTo(RunRecord.RunStatus.QUEUED);
      ServerProcess.Result listed = server.tagflow("runs", "list");
      assertThat(listed.out()).contains(second.runId()).contains("queued");

      server.stop(); // SIGTERM: the running run is interrupted, the queued ones stay queued
      assertThat(store.runs().get(second.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.QUEUED);
      assertThat(store.runs().get(third.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.QUEUED);
      // While the server is down, the mirror of the third run's repository goes.
      try (Stream<Path> mirrors = Files.list(data.resolve("repos"))) {
        for (Path mirror :
            mirrors.filter(m -> m.getFileName().toString().contains("other")).toList()) {
          DirectoryRemoval.delete(mirror);
        }
      }

      server.start();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  store.runs().get(second.runId()).orElseThrow().finished().isPresent()
                      && store.runs().get(third.runId()).orElseThrow().finished().isPresent());
      assertThat(store.runs().get(second.runId()).orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.SUCCESS);
      assertThat(Files.readString(markers.resolve("v2.0.0")).strip()).isEqualTo(work.head());
      assertThat(server.allErr()).contains("queued before the restart, queued again");

      RunRecord failed = store.runs().get(third.runId()).orElseThrow();
      assertThat(failed.status()).isEqualTo(RunRecord.RunStatus.FAILURE);
      assertThat(Files.exists(markers.resolve("v3.0.0"))).isFalse();
      ServerProcess.Result show = server.tagflow("runs", "show", failed.runId());
      assertThat(show.out())
          .contains("status:     refused")
          .contains("refused:    the repository's mirror")
          .contains("is gone");
      assertThat(Files.readString(Path.of(failed.log()))).contains("is gone");
    }
  }

  private static List<RunRecord> runsOf(Store store, String repository, String tag) {
    return store.runs().forRef(repository, ".github/workflows/release.yml", "refs/tags/" + tag);
  }

  @Test
  void aWorkflowIsDispatchedByHandWithTypedInputsAndWrongOnesAreRefusedNamingThem()
      throws Exception {
    ServerProcess.Result noServer =
        server.tagflow(
            "runs",
            "dispatch",
            "--repo",
            "app",
            "--workflow",
            "release.yml",
            "--ref",
            "v1.2.3",
            "--server-timeout",
            "2s");
    assertThat(noServer.exit()).isEqualTo(1);
    assertThat(noServer.err()).contains("no tagflow server of").contains("took the request");
    try (Stream<Path> left = Files.list(data.resolve("run-requests"))) {
      assertThat(left).as("the request was withdrawn").isEmpty();
    }

    server.start();
    GitWorkTree work =
        workflow(
            """
            on:
              workflow_dispatch:
                inputs:
                  level:
                    type: choice
                    options: [low, high]
                    required: true
                  dry:
                    type: boolean
                    default: false
                  count:
                    type: number
                    default: 1
                  note:
                    type: string
            jobs:
              release:
                runs-on: ubuntu-latest
                steps:
                  - run: >
                      echo "${{ github.event_name }} ${{ github.ref_name }} ${{ inputs.level }}
                      ${{ inputs.dry }} ${{ inputs.count }} [${{ inputs.note }}]"
                      > "%s/dispatched"
            """
                .formatted(markers));
    work.write(
            ".github/workflows/ci.yml",
            """
            on: {push: {branches: [main]}}
            jobs:
              test: {runs-on: ubuntu-latest, steps: [{run: 'true'}]}
            """)
        .commit("ci");
    pushTag(work, "v1.2.3");

    ServerProcess.Result dispatched =
        server.tagflow(
            "runs",
            "dispatch",
            "--repo",
            "app",
            "--workflow",
            "release.yml",
            "--ref",
            "v1.2.3",
            "-f",
            "level=high",
            "-f",
            "count=3",
            "-f",
            "note=a=b");
    assertThat(dispatched.exit()).as(dispatched.out() + dispatched.err()).isZero();
    assertThat(dispatched.out()).contains("queued in the server").contains("success");
    assertThat(Files.readString(markers.resolve("dispatched")).strip())
        .isEqualTo("workflow_dispatch v1.2.3 high false 3 [a=b]");
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      RunRecord run = store.runs().latest(1).getFirst();
      assertThat(run.event()).isEqualTo("workflow_dispatch");
      assertThat(run.ref()).isEqualTo("refs/tags/v1.2.3");
      assertThat(run.commit()).isEqualTo(work.head());
    }

    ServerProcess.Result wrongChoice = dispatch("release.yml", "v1.2.3", "-f", "level=medium");
    assertThat(wrongChoice.exit()).isEqualTo(2);
    assertThat(wrongChoice.err()).contains("level").contains("medium").contains("low");
    ServerProcess.Result notANumber =
        dispatch("release.yml", "v1.2.3", "-f", "level=low", "-f", "count=many");
    assertThat(notANumber.exit()).isEqualTo(2);
    assertThat(notANumber.err()).contains("count");
    ServerProcess.Result missing = dispatch("release.yml", "v1.2.3");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("input 'level' is required");
    ServerProcess.Result unknown =
        dispatch("release.yml", "v1.2.3", "-f", "level=low", "-f", "colour=red");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown input 'colour'");
    ServerProcess.Result noDispatch = dispatch("ci.yml", "v1.2.3");
    assertThat(noDispatch.exit()).isEqualTo(2);
    assertThat(noDispatch.err()).contains("has no on.workflow_dispatch");
    ServerProcess.Result noTag = dispatch("release.yml", "v9.9.9", "-f", "level=low");
    assertThat(noTag.exit()).isEqualTo(2);
    assertThat(noTag.err()).contains("v9.9.9");
    ServerProcess.Result noRepo =
        server.tagflow(
            "runs", "dispatch", "--repo", "nope", "--workflow", "release.yml", "--ref", "v1.2.3");
    assertThat(noRepo.exit()).isEqualTo(2);
    assertThat(noRepo.err()).contains("no repository named 'nope'").contains("app");
    ServerProcess.Result branch =
        dispatch("release.yml", "main", "-f", "level=low", "-f", "dry=true");
    assertThat(branch.exit()).as(branch.out() + branch.err()).isZero();
    assertThat(Files.readString(markers.resolve("dispatched")).strip())
        .isEqualTo("workflow_dispatch main low true 1 []");
  }

  @Test
  void aServerWhoseStoreCannotBeReachedDoesNotStartAndSaysWhyAndSoDoesDispatch() throws Exception {
    // Nothing listens on port 1: the store is unreachable, for real.
    String database = "jdbc:postgresql://127.0.0.1:1/tagflow?user=tagflow&password=hunter2secret";
    ServerProcess.Result unreachable = server.with("--database", database).startToExit();
    assertThat(unreachable.exit()).isNotZero();
    assertThat(unreachable.out()).doesNotContain("listening on");
    assertThat(unreachable.err())
        .contains("could not connect to the database")
        .contains("127.0.0.1:1")
        .contains("the database server is running")
        .doesNotContain("hunter2secret");

    ServerProcess.Result dispatch =
        server.tagflow(
            "runs",
            "dispatch",
            "--repo",
            "app",
            "--workflow",
            "release.yml",
            "--ref",
            "v1.2.3",
            "--database",
            database);
    assertThat(dispatch.exit()).isNotZero();
    assertThat(dispatch.err())
        .contains("could not connect to the database")
        .doesNotContain("hunter2secret");
    assertThat(Files.exists(data.resolve("run-requests"))).as("nothing was asked").isFalse();
  }

  private ServerProcess.Result dispatch(String workflow, String ref, String... fields)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("runs", "dispatch", "--repo", "app", "--workflow", workflow, "--ref", ref));
    args.addAll(List.of(fields));
    return server.tagflow(args.toArray(String[]::new));
  }

  private GitWorkTree workflow(String text) throws Exception {
    return GitWorkTree.init(temp.resolve("work"))
        .write(".github/workflows/release.yml", text)
        .commit("release workflow");
  }

  private void pushTag(GitWorkTree work, String tag) throws Exception {
    pushTag(work, "app", tag);
  }

  private void pushTag(GitWorkTree work, String repository, String tag) throws Exception {
    String withToken = server.pushUrl(repository);
    work.git("push", "-q", withToken, "main");
    work.git("tag", "-a", tag, "-m", "release " + tag);
    work.git("push", "-q", withToken, "refs/tags/" + tag);
  }

  private RunRecord awaitEnded(Store store, String ref) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                store.runs().forRef("git/app", ".github/workflows/release.yml", ref).stream()
                    .anyMatch(r -> r.finished().isPresent()));
    return store.runs().forRef("git/app", ".github/workflows/release.yml", ref).getFirst();
  }
}
