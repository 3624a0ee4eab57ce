package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowValidateCommandTest {

  @TempDir Path repo;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void summarisesTheWorkflowsTheirJobsAndWhatStartsThem() throws IOException {
    write(
        ".github/workflows/release.yml",
        """
        name: release
        on:
          push:
            tags: ['v*', '!v*-rc*']
          workflow_dispatch:
            inputs:
              tag: {required: true}
          pull_request:
        jobs:
          build: {steps: [{uses: actions/checkout@v4}, {run: mvn -B verify}]}
          image: {needs: build, steps: [{uses: tagflow/image@v1}]}
        """);
    write(
        ".tagflow/workflows/ci.yaml",
        "on: {push: {branches: [main]}}\njobs: {t: {steps: [{run: t}]}}\n");

    assertThat(run("workflow", "validate", repo.toString())).isZero();

    assertThat(out.toString())
        .containsPattern("WORKFLOW +NAME +JOBS +STARTS ON")
        .containsPattern(
            "\\.github/workflows/release\\.yml +release +build, image +push: tags v\\*, !v\\*-rc\\*;"
                + " by hand \\(inputs: tag\\); not started by Tagflow: pull_request")
        .containsPattern(
            "\\.tagflow/workflows/ci\\.yaml +\\.tagflow/workflows/ci\\.yaml +t +push: branches main")
        .contains("2 workflows, 3 jobs, 4 steps: valid.");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void printsEveryProblemWithItsPlaceAndExitsWithTwo() throws IOException {
    write(".github/workflows/ok.yml", "on: push\njobs: {a: {steps: [{run: x}]}}\n");
    write(
        ".github/workflows/bad.yml",
        """
        on:
          push:
            tags: ['v[0-9']
        jobs:
          a:
            services: {db: {image: postgres}}
            steps:
              - uses: docker/build-push-action@v6
        """);
    write(".github/workflows/worse.yml", "on: pusj\njobs: {}\n");

    assertThat(run("workflow", "validate", repo.toString())).isEqualTo(ExitCode.INVALID_INPUT);

    assertThat(err.toString().lines())
        .containsExactly(
            ".github/workflows/bad.yml:3:14: the pattern 'v[0-9' has '[' without a closing ']'",
            ".github/workflows/bad.yml:6:5: jobs.a.services is not supported: service containers"
                + " need Docker, which Tagflow does not use (jobs run as processes on the Tagflow"
                + " host); start what the job needs in a run: step, or point the job at a running"
                + " service",
            ".github/workflows/bad.yml:8:15: jobs.a.steps[0].uses 'docker/build-push-action@v6'"
                + " is not supported: it builds with a Docker daemon; build and push the image with"
                + " tagflow/image (with: {from, jar or directory, image, tags}), which needs no"
                + " daemon",
            ".github/workflows/worse.yml:1:5: unknown event 'pusj'; did you mean 'push'? (Tagflow"
                + " starts runs on push and workflow_dispatch)",
            ".github/workflows/worse.yml:2:1: jobs: is empty; a workflow needs at least one job",
            "tagflow: 5 problems in 2 files; fix them and run again");
    assertThat(out.toString()).contains("1 workflow, 1 job, 1 step valid; 2 files refused.");
  }

  @Test
  void validatesOneFileAndPrintsJson() throws IOException {
    Path file =
        write(
            ".github/workflows/release.yml",
            "on: {push: {tags: ['v*']}}\njobs: {a: {steps: [{run: x}]}}\n");

    assertThat(run("workflow", "validate", file.toString(), "-o", "json")).isZero();

    assertThat(out.toString())
        .contains("\"file\" : \"" + file + "\"")
        .contains("\"startsOn\" : \"push: tags v*\"")
        .contains("\"problems\" : [ ]");
  }

  @Test
  void aDirectoryWithoutWorkflowsIsInvalidInput() {
    assertThat(run("workflow", "validate", repo.toString())).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .contains(
            "tagflow: no workflow files in "
                + repo
                + " (Tagflow reads *.yml and *.yaml in .github/workflows and .tagflow/workflows)");
    assertThat(run("workflow", "validate", repo.resolve("missing").toString()))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("missing: no such directory");
  }

  @Test
  void validatesTheWorkflowsOfATagOfARepositoryAndSaysWhichItsPushStarts(@TempDir Path data)
      throws Exception {
    write(
        ".github/workflows/release.yml",
        "on: {push: {tags: ['v*']}}\njobs: {a: {steps: [{run: x}]}}\n");
    write(
        ".github/workflows/ci.yml",
        "on: {push: {branches: [main]}}\njobs: {a: {steps: [{run: x}]}}\n");
    write(
        ".github/workflows/image.yml",
        "on: {push: {tags: ['v*']}}\njobs: {i: {steps: [{uses: docker/build-push-action@v6}]}}\n");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      PersonIdent me = new PersonIdent("Test", "test@tagflow.dev");
      git.add().addFilepattern(".").call();
      var commit = git.commit().setMessage("workflows").setAuthor(me).setCommitter(me).call();
      git.tag().setName("v1.2.3").setObjectId(commit).setAnnotated(false).call();
    }
    String dataDir = "--data-dir=" + data;
    assertThat(run("repo", "add", repo.toString(), "--name", "app", dataDir)).isZero();

    int exit = run("workflow", "validate", "--repo", "app", "--revision", "v1.2.3", dataDir);

    assertThat(exit).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(out.toString())
        .contains("Workflows of app at v1.2.3 (")
        .containsPattern(
            "\\.github/workflows/release\\.yml +\\.github/workflows/release\\.yml +a +push: tags v\\*")
        .contains("A push of tag v1.2.3 starts .github/workflows/release.yml.")
        .contains("It would also start, but they are refused: .github/workflows/image.yml.");
    assertThat(err.toString())
        .contains(
            ".github/workflows/image.yml:2:27: jobs.i.steps[0].uses 'docker/build-push-action@v6'");
  }

  @Test
  void takesADirectoryOrARepositoryNotBoth() {
    assertThat(run("workflow", "validate")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("give a directory or --repo <repo>, one of them");
  }

  private Path write(String path, String text) throws IOException {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
