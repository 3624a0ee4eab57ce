package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actions/upload-artifact and actions/download-artifact (v4) between the jobs of a real run: what
 * path: and its exclusions take, a name uploaded twice, overwrite, if-no-files-found, download by
 * name, by pattern and all, merge-multiple, and a tampered artifact refused.
 */
class ArtifactStepsTest {

  @TempDir Path dir;
  TestRuns runs;

  @BeforeEach
  void setUp() throws Exception {
    runs = new TestRuns(dir, BuiltInSettings.defaults());
  }

  @Test
  void anArtifactUploadedInOneJobIsDownloadedInTheJobThatNeedsIt() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          build:
            steps:
              - run: |
                  mkdir -p dist/lib reports
                  echo jar > dist/app.jar
                  echo lib > dist/lib/x.jar
                  echo notes > dist/notes.txt
                  echo hidden > dist/.secret
                  echo report > reports/r.txt
              - id: up
                uses: actions/upload-artifact@v4
                with:
                  name: app
                  path: |
                    dist/
                    !dist/notes.txt
              - id: again
                continue-on-error: true
                uses: actions/upload-artifact@v4
                with: {name: app, path: reports}
              - id: reports
                uses: actions/upload-artifact@v4
                with: {name: reports, path: reports/r.txt, compression-level: 0, retention-days: 5}
              - id: replaced
                uses: actions/upload-artifact@v4
                with: {name: reports, path: reports, overwrite: true}
          deploy:
            needs: build
            steps:
              - id: one
                uses: actions/download-artifact@v4
                with: {name: app, path: got}
              - id: all
                uses: actions/download-artifact@v4
                with: {path: all}
              - id: merged
                uses: actions/download-artifact@v4
                with: {pattern: '*', path: merged, merge-multiple: true}
              - id: seen
                run: |
                  echo "one=$(cd got && find . -type f | sort | tr '\\n' ' ')" >> "$GITHUB_OUTPUT"
                  echo "all=$(cd all && find . -type f | sort | tr '\\n' ' ')" >> "$GITHUB_OUTPUT"
                  echo "merged=$(cd merged && find . -type f | sort | tr '\\n' ' ')" >> "$GITHUB_OUTPUT"
                  echo "jar=$(cat got/app.jar)" >> "$GITHUB_OUTPUT"
              - id: missing
                continue-on-error: true
                uses: actions/download-artifact@v4
                with: {name: nosuch}
        """;

    RunResult result = runs.run("artifacts", yaml);

    assertThat(result.conclusion()).as(TestRuns.log(result)).isEqualTo(Conclusion.SUCCESS);
    List<StepResult> build = result.single("build").orElseThrow().steps();
    assertThat(build.get(1).outputs())
        .containsEntry("artifact-id", "1")
        .containsKey("artifact-digest");
    assertThat(build.get(2).outcome()).isEqualTo(Conclusion.FAILURE);
    assertThat(build.get(2).message())
        .contains("an artifact with this name already exists on the workflow run: 'app'")
        .contains("overwrite: true");
    assertThat(build.get(4).conclusion()).isEqualTo(Conclusion.SUCCESS);
    List<StepResult> deploy = result.single("deploy").orElseThrow().steps();
    Path workspace = runs.data.resolve("runs/artifacts/jobs/deploy-0/workspace");
    assertThat(deploy.get(0).outputs())
        .containsEntry("download-path", workspace.resolve("got").toString());
    assertThat(deploy.get(1).outputs())
        .containsEntry("download-path", workspace.resolve("all").toString());
    Map<String, String> seen = deploy.get(3).outputs();
    assertThat(seen)
        .containsEntry("one", "./app.jar ./lib/x.jar ")
        .containsEntry("all", "./app/app.jar ./app/lib/x.jar ./reports/r.txt ")
        .containsEntry("merged", "./app.jar ./lib/x.jar ./r.txt ")
        .containsEntry("jar", "jar");
    assertThat(deploy.get(4).outcome()).isEqualTo(Conclusion.FAILURE);
    assertThat(deploy.get(4).message())
        .startsWith("Unable to download artifact(s): Artifact not found for name: nosuch")
        .contains("app, reports");
    assertThat(RunDocument.of(result))
        .contains("\"artifacts\":[{\"id\":1,\"name\":\"app\",")
        .contains("\"name\":\"reports\",");
  }

  @Test
  void ifNoFilesFoundDecidesWhatNothingMeans() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - id: warn
                uses: actions/upload-artifact@v4
                with: {name: a, path: nothing/here}
              - id: ignore
                uses: actions/upload-artifact@v4
                with: {name: b, path: nothing/here, if-no-files-found: ignore}
              - id: error
                uses: actions/upload-artifact@v4
                with: {name: c, path: nothing/here, if-no-files-found: error}
              - id: badname
                if: always()
                uses: actions/upload-artifact@v4
                with: {name: 'a/b', path: x}
        """;

    RunResult result = runs.run("none", yaml);

    List<StepResult> steps = result.single("j").orElseThrow().steps();
    assertThat(steps)
        .extracting(StepResult::conclusion)
        .containsExactly(
            Conclusion.SUCCESS, Conclusion.SUCCESS, Conclusion.FAILURE, Conclusion.FAILURE);
    assertThat(steps.get(2).message())
        .isEqualTo(
            "No files were found with the provided path: nothing/here. No artifacts will be"
                + " uploaded.");
    assertThat(steps.get(3).message()).contains("The artifact name is not valid: a/b");
    assertThat(runs.lines)
        .filteredOn(l -> l.kind() == LogLine.Kind.WARNING)
        .extracting(LogLine::text)
        .anyMatch(t -> t.startsWith("No files were found with the provided path: nothing/here"));
  }

  @Test
  void aTamperedArtifactIsRefusedAndWritesNothing() throws Exception {
    // A step of the run rewrites the stored zip with an entry that climbs out, as a tampered disk
    // or a hostile step would.
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          up:
            steps:
              - run: echo ok > ok.txt
              - uses: actions/upload-artifact@v4
                with: {name: bad, path: ok.txt}
          down:
            needs: up
            steps:
              - shell: python
                run: |
                  import os, zipfile
                  zip = os.path.join(os.environ["GITHUB_WORKSPACE"], "../../../artifacts/n-bad/artifact.zip")
                  with zipfile.ZipFile(zip, "w") as z:
                      z.writestr("fine.txt", "fine")
                      z.writestr("../../escaped.txt", "evil")
              - uses: actions/download-artifact@v4
                with: {name: bad, path: got}
        """;

    RunResult result = runs.run("tampered", yaml);

    StepResult step = result.single("down").orElseThrow().steps().get(1);
    assertThat(step.conclusion()).as(TestRuns.log(result)).isEqualTo(Conclusion.FAILURE);
    assertThat(step.message())
        .contains("refused and nothing was written")
        .contains("'../../escaped.txt'");
    try (var all = Files.walk(dir)) {
      assertThat(
              all.map(p -> p.getFileName().toString())
                  .filter(n -> n.equals("escaped.txt") || n.equals("fine.txt")))
          .isEmpty();
    }
  }
}
