package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Problem;
import dev.tagflow.source.LocalGit;
import dev.tagflow.source.TreeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading the workflows of a tree: a directory, and a commit of a real Git repository read from its
 * objects; the same files give the same workflows and problems either way.
 */
class WorkflowTreeTest {

  private static final String RELEASE =
      "name: release\non: {push: {tags: ['v*']}}\njobs: {build: {steps: [{run: make}]}}\n";

  /** The files of the repository that load, in the order of their paths. */
  private static final List<String> LOADED =
      List.of(
          ".github/workflows/ci.yaml",
          ".github/workflows/release.yml",
          ".tagflow/workflows/prod.yml");

  @TempDir Path dir;
  LocalGit git;

  @BeforeEach
  void makeRepository() throws IOException {
    new LocalGit(dir).run("init", "-q", "-b", "main", "app");
    git = new LocalGit(dir.resolve("app"));
    write(".github/workflows/release.yml", RELEASE);
    write(
        ".github/workflows/ci.yaml",
        "on: {push: {branches: [main]}}\njobs: {t: {steps: [{run: t}]}}\n");
    write(".github/workflows/broken.yml", "on: push\njobs:\n  a: {stpes: []}\n");
    write(".github/workflows/README.md", "not a workflow\n");
    write(".github/workflows/nested/deeper.yml", RELEASE);
    write(
        ".tagflow/workflows/prod.yml",
        "on: {push: {tags: ['prod-v*']}}\njobs: {p: {steps: [{uses: tagflow/promote}]}}\n");
    write("src/other.yml", RELEASE);
    git.run("add", "-A");
    git.run("commit", "-q", "-m", "workflows");
  }

  @Test
  void readsTheWorkflowFilesOfBothDirectoriesOfACheckout() {
    WorkflowSet set = new WorkflowLoader().load(dir.resolve("app"));

    assertThat(set.workflows()).extracting(Workflow::file).containsExactlyElementsOf(LOADED);
    assertThat(set.problems())
        .extracting(Problem::toString)
        .containsExactly(
            ".github/workflows/broken.yml:3:3: jobs.a has no steps; a job needs at least one step",
            ".github/workflows/broken.yml:3:7: unknown key 'stpes' in jobs.a; did you mean"
                + " 'steps'? (allowed: name, needs, if, runs-on, env, outputs, timeout-minutes,"
                + " continue-on-error, strategy, defaults, permissions, environment, concurrency,"
                + " steps)");
    assertThat(set.triggeredBy(RefPush.tag("v1.2.3")))
        .extracting(Workflow::displayName)
        .containsExactly("release");
  }

  @Test
  void aRefusedWorkflowIsReportedForThePushesItWouldHaveStarted() throws IOException {
    write(
        ".github/workflows/image.yml",
        "on: {push: {tags: ['v*']}}\njobs: {i: {steps: [{uses: docker/build-push-action@v6}]}}\n");
    write(".github/workflows/unreadable.yml", "on: [\n");

    WorkflowSet set = new WorkflowLoader().load(dir.resolve("app"));

    // broken.yml (on: push) and image.yml would have run for v1.2.3; unreadable.yml might have.
    assertThat(set.problemsFor(RefPush.tag("v1.2.3")))
        .extracting(Problem::file)
        .containsExactly(
            ".github/workflows/broken.yml",
            ".github/workflows/broken.yml",
            ".github/workflows/image.yml",
            ".github/workflows/unreadable.yml");
    assertThat(set.problemsFor(RefPush.tag("prod-v1")))
        .extracting(Problem::file)
        .containsExactly(
            ".github/workflows/broken.yml",
            ".github/workflows/broken.yml",
            ".github/workflows/unreadable.yml");
    assertThat(set.problemsFor(RefPush.branch("main")))
        .extracting(Problem::file)
        .containsExactly(".github/workflows/unreadable.yml");
  }

  @Test
  void readsTheSameWorkflowsFromACommitWithoutACheckout() throws IOException {
    String commit = git.run("rev-parse", "HEAD").strip();
    // The working tree changes after the commit: only the commit's files count.
    Files.delete(dir.resolve("app/.tagflow/workflows/prod.yml"));
    write(".github/workflows/release.yml", "garbage: [");

    try (Repository repository =
        new FileRepositoryBuilder().setGitDir(dir.resolve("app/.git").toFile()).build()) {
      WorkflowSet set = new WorkflowLoader().load(new TreeReader(repository, "app", commit, ""));

      assertThat(set.workflows()).extracting(Workflow::file).containsExactlyElementsOf(LOADED);
      assertThat(set.problems())
          .extracting(Problem::file)
          .containsOnly(".github/workflows/broken.yml");
      assertThat(set.triggeredBy(RefPush.tag("prod-v2.0.0")))
          .extracting(Workflow::file)
          .containsExactly(".tagflow/workflows/prod.yml");
    }
  }

  @Test
  void aTreeWithoutWorkflowsHasNone() throws IOException {
    new LocalGit(dir).run("init", "-q", "-b", "main", "empty");
    LocalGit empty = new LocalGit(dir.resolve("empty"));
    Files.writeString(dir.resolve("empty/README.md"), "hello\n");
    empty.run("add", "-A");
    empty.run("commit", "-q", "-m", "no workflows");
    String commit = empty.run("rev-parse", "HEAD").strip();

    try (Repository repository =
        new FileRepositoryBuilder().setGitDir(dir.resolve("empty/.git").toFile()).build()) {
      WorkflowSet set = new WorkflowLoader().load(new TreeReader(repository, "empty", commit, ""));

      assertThat(set.workflows()).isEmpty();
      assertThat(set.problems()).isEmpty();
    }
  }

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve("app").resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
