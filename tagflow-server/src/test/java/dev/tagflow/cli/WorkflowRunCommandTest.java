package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tagflow workflow run} on a real Git repository, with real processes. */
class WorkflowRunCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void runsTheWorkflowsATagStartsAtItsCommitAndPrintsTheLog() throws Exception {
    Path repo = repository();
    write(
        repo,
        ".github/workflows/release.yml",
        """
        name: release
        on: {push: {tags: ['v*']}}
        jobs:
          build:
            outputs: {version: '${{ steps.v.outputs.version }}'}
            steps:
              - uses: actions/checkout@v4
              - id: v
                run: echo "version=$(cat VERSION)-${GITHUB_REF_NAME}" >> "$GITHUB_OUTPUT"
          publish:
            needs: build
            steps: [{run: 'echo "publishing ${{ needs.build.outputs.version }}"'}]
        """);
    write(repo, "VERSION", "1.2.3");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "release");
    git(repo, "tag", "v1.2.3");
    write(repo, "VERSION", "changed after the tag");
    git(repo, "commit", "-qam", "later");

    int code =
        run(
            "workflow",
            "run",
            repo.toString(),
            "--tag",
            "v1.2.3",
            "--data-dir",
            dir.resolve("data").toString());

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("publish#0 publishing 1.2.3-v1.2.3")
        .contains("release: success")
        .contains("  build: success", "  publish: success");
    try (var runs = Files.list(dir.resolve("data/runs"))) {
      Path log = runs.findFirst().orElseThrow().resolve("log.txt");
      assertThat(Files.readString(log)).contains("publishing 1.2.3-v1.2.3");
    }
  }

  @Test
  void setupJavaChoosesFromTheJdkFoldersGiven() throws Exception {
    // A JDK unpacked by hand into a folder of JDKs: its release file (a version the host lacks)
    // and the running JDK's programs linked in.
    Path jdk = Files.createDirectories(dir.resolve("jdks/corretto-11"));
    Files.writeString(
        jdk.resolve("release"),
        "IMPLEMENTOR=\"Amazon.com Inc.\"\nJAVA_VERSION=\"11.0.42\"\nOS_ARCH=\"x86_64\"\n");
    Files.createSymbolicLink(jdk.resolve("bin"), Path.of(System.getProperty("java.home"), "bin"));
    Path repo = repository();
    write(
        repo,
        ".github/workflows/release.yml",
        """
        on: {push: {tags: ['v*']}}
        jobs:
          build:
            steps:
              - uses: actions/setup-java@v4
                with: {java-version: '11', distribution: corretto}
              - run: echo "home=$JAVA_HOME"
        """);
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "release");
    git(repo, "tag", "v1.0.0");

    int code =
        run(
            "workflow",
            "run",
            repo.toString(),
            "--tag",
            "v1.0.0",
            "--jdk-folder",
            dir.resolve("jdks").toString(),
            "--data-dir",
            dir.resolve("data").toString());

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("using the host's JDK 11.0.42 (Amazon.com Inc., x64)")
        .contains("home=" + jdk.toRealPath());
  }

  @Test
  void aFailingRunExitsWithOneAndANonMatchingRefIsRefused() throws Exception {
    Path repo = repository();
    write(
        repo,
        ".github/workflows/release.yml",
        "on: {push: {tags: ['v*']}}\njobs: {t: {steps: [{run: 'exit 4'}]}}\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "release");

    assertThat(
            run(
                "workflow",
                "run",
                repo.toString(),
                "--tag",
                "v9",
                "--data-dir",
                dir.resolve("data").toString()))
        .isEqualTo(1);
    assertThat(out.toString()).contains("t: failure — step 1 (Run exit 4) failed");
    assertThat(err.toString()).contains("refs/tags/v9 is not in");

    assertThat(
            run(
                "workflow",
                "run",
                repo.toString(),
                "--branch",
                "main",
                "--data-dir",
                dir.resolve("data").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("no workflow of ")
        .contains("starts on a push of refs/heads/main");
  }

  @Test
  void remoteActionsComeFromTheActionsSourceGiven() throws Exception {
    // The actions source: a directory of bare repositories, <base>/<owner>/<repo>.git.
    Path action = dir.resolve("work/greet");
    Files.createDirectories(action);
    git(action, "init", "-q", "-b", "main");
    write(
        action,
        "action.yml",
        """
        inputs: {who: {default: world}}
        outputs: {said: {value: '${{ steps.s.outputs.said }}'}}
        runs:
          using: composite
          steps:
            - id: s
              shell: bash
              run: echo "said=hello ${{ inputs.who }}" >> "$GITHUB_OUTPUT"
        """);
    git(action, "add", "-A");
    git(action, "commit", "-q", "-m", "action");
    git(action, "tag", "v1");
    Path bare = dir.resolve("actions/octo/greet.git");
    Files.createDirectories(bare.getParent());
    git(dir, "clone", "-q", "--bare", action.toString(), bare.toString());
    Path repo = repository();
    write(
        repo,
        ".github/workflows/release.yml",
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - id: g
                uses: octo/greet@v1
              - run: echo "the action said ${{ steps.g.outputs.said }}"
        """);
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "release");
    git(repo, "tag", "v1.0.0");

    int code =
        run(
            "workflow",
            "run",
            repo.toString(),
            "--tag",
            "v1.0.0",
            "--data-dir",
            dir.resolve("data").toString(),
            "--actions-source",
            dir.resolve("actions").toUri().toString());

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("the action said hello world");
  }

  private Path repository() throws Exception {
    Path repo = dir.resolve("app");
    Files.createDirectories(repo);
    git(repo, "init", "-q", "-b", "main");
    return repo;
  }

  private static void write(Path repo, String path, String content) throws IOException {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static void git(Path repo, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).inheritIO();
    builder.environment().put("GIT_AUTHOR_NAME", "Test");
    builder.environment().put("GIT_AUTHOR_EMAIL", "test@tagflow.dev");
    builder.environment().put("GIT_COMMITTER_NAME", "Test");
    builder.environment().put("GIT_COMMITTER_EMAIL", "test@tagflow.dev");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    assertThat(builder.start().waitFor()).isZero();
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
