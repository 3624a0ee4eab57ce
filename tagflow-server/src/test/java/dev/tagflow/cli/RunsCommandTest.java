package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.server.pipeline.RefLookup;
import dev.tagflow.server.pipeline.RunSecrets;
import dev.tagflow.source.RefChanged;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow runs} on the runs a real {@link PipelineService} recorded from a real Git
 * repository (one workflow that runs, one refused at load), and its answers to bad input.
 */
class RunsCommandTest {

  @TempDir Path data;
  @TempDir Path work;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @Test
  void listsShowsAndPrintsTheLogOfRecordedRunsAndExplainsARefusal() throws Exception {
    GitWorkTree repo =
        GitWorkTree.init(work.resolve("app"))
            .write(
                ".github/workflows/release.yml",
                """
                on: {push: {tags: ['v*']}}
                jobs:
                  release:
                    runs-on: ubuntu-latest
                    steps:
                      - id: v
                        run: echo "version=$GITHUB_REF_NAME" >> "$GITHUB_OUTPUT"; echo built > built.txt; cat built.txt
                      - uses: actions/upload-artifact@v4
                        with: {name: built, path: built.txt}
                """)
            .write(
                ".github/workflows/image.yml",
                """
                on: {push: {tags: ['v*']}}
                jobs:
                  image:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: docker/build-push-action@v6
                """)
            .commit("workflows");
    String head = repo.head();
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      PipelineService pipeline =
          new PipelineService(
              data,
              new PipelineService.Parts(
                  url -> repo.directory().resolve(".git"),
                  store.runs(),
                  store.builtImages(),
                  RunSecrets.NONE,
                  RefLookup.NONE,
                  Optional.empty()),
              1,
              1,
              Clock.systemUTC());
      pipeline.onRefChanged(
          new RefChanged(
              "https://git.example/acme/app.git",
              "refs/tags/v2.0.0",
              Optional.empty(),
              Optional.of(head),
              RefChanged.Origin.GIT_SERVER,
              Instant.now()));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  store.runs().latest(10).size() == 2
                      && store.runs().latest(10).stream()
                          .noneMatch(r -> r.status() == RunRecord.RunStatus.RUNNING));
      pipeline.close(Duration.ofSeconds(5));
    }

    assertThat(run("runs", "list")).isZero();
    assertThat(out.toString())
        .containsPattern("RUN +REPOSITORY +REF +COMMIT +WORKFLOW +STATUS +STARTED")
        .containsPattern(
            "acme/app +v2.0.0 +"
                + head.substring(0, 12)
                + " +.github/workflows/release.yml +success")
        .containsPattern(".github/workflows/image.yml +refused");
    assertThat(run("runs", "list", "--ref", "v9.9.9", "-o", "json")).isZero();
    assertThat(out.toString().strip()).isEqualTo("[ ]");
    assertThat(run("runs", "list", "--repo", "acme/app", "--ref", "refs/tags/v2.0.0", "-o", "json"))
        .isZero();
    assertThat(out.toString())
        .contains("\"status\" : \"refused\"")
        .contains("\"status\" : \"success\"");

    String refused = idOf(".github/workflows/image.yml");
    assertThat(run("runs", "show", refused)).isZero();
    assertThat(out.toString())
        .contains("status:     refused")
        .contains("refused:    .github/workflows/image.yml:6:15:")
        .contains("tagflow/image");
    // A rerun runs in the server; none runs here, so the request is withdrawn and the verb says so.
    assertThat(run("runs", "rerun", refused, "--server-timeout", "1s")).isEqualTo(ExitCode.FAILED);
    assertThat(err.toString()).contains("no tagflow server of").contains("start it");
    try (var left = Files.list(data.resolve("run-requests"))) {
      assertThat(left).isEmpty();
    }

    String ran = idOf(".github/workflows/release.yml");
    assertThat(run("runs", "show", ran)).isZero();
    assertThat(out.toString())
        .contains("job release: success")
        .contains("output version=v2.0.0")
        .containsPattern(
            "artifact built \\(id 1, 1 files, \\d+ bytes, from job release\\): .*artifact.zip");
    assertThat(run("runs", "logs", ran)).isZero();
    assertThat(out.toString()).contains("built");
    assertThat(run("runs", "cancel", ran)).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("is not running (it is success); nothing to cancel");
  }

  @Test
  void anUnknownRunIsAClearError() {
    for (String verb : new String[] {"show", "logs", "cancel", "rerun"}) {
      assertThat(run("runs", verb, "no-such-run")).as(verb).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(err.toString())
          .contains("there is no run no-such-run in this data directory; tagflow runs list");
    }
  }

  private String idOf(String workflow) {
    assertThat(run("runs", "list", "-o", "json")).isZero();
    String json = out.toString();
    int at = json.indexOf("\"workflow\" : \"" + workflow + "\"");
    int id = json.lastIndexOf("\"id\" : \"", at) + "\"id\" : \"".length();
    return json.substring(id, json.indexOf('"', id));
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = data.toString();
    return Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
