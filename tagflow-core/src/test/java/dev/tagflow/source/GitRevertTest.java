package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reverts pushed to a real bare repository, read back with the git command. */
class GitRevertTest {

  @TempDir Path root;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private LocalGit work;
  private String origin;
  private RepoCache cache;
  private GitRevert revert;
  private String good;

  @BeforeEach
  void setUp() {
    work = LocalGit.originWithClone(root);
    origin = root.resolve("origin.git").toString();
    work.write("app/web.yaml", "image: web:1.0.0\nreplicas: 2\n");
    good = work.commit("other/values.yaml", "flag: one\n", "good");
    push();
    cache =
        new RepoCache(
            root.resolve("data/repos"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    revert = new GitRevert(cache, "Tagflow", "tagflow@tagflow.dev");
  }

  @AfterEach
  void close() {
    cache.close();
  }

  private void push() {
    work.run("push", "-q", "origin", "HEAD:main");
  }

  /** The remote's main after Tagflow pushed, checked out in the work tree. */
  private String pulled() {
    work.run("fetch", "-q", "origin");
    work.run("reset", "-q", "--hard", "origin/main");
    return work.run("rev-parse", "HEAD").strip();
  }

  private String file(String path) {
    return work.run("show", "HEAD:" + path);
  }

  private GitRevert.Result revert(String bad) {
    return revert.revert(origin, "main", "app", good, bad, "Roll back web", "sync #2 was bad");
  }

  @Test
  void revertsTheCommitsThatChangedThePathIntoOneCommitAndKeepsTheOthers() {
    String image = work.commit("app/web.yaml", "image: web:2.0.0\nreplicas: 2\n", "web 2.0.0");
    work.commit("other/values.yaml", "flag: two\n", "other app");
    String bad = work.commit("app/extra.yaml", "kind: extra\n", "extra");
    push();

    GitRevert.Result result = revert(bad);

    String head = pulled();
    assertThat(result.method()).isEqualTo(GitRevert.Method.REVERTED);
    assertThat(result.commit()).contains(head);
    assertThat(result.reverted()).containsExactly(bad, image);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(work.run("rev-parse", "HEAD~1").strip()).isEqualTo(bad);
    assertThat(file("app/web.yaml")).isEqualTo("image: web:1.0.0\nreplicas: 2\n");
    assertThat(work.run("ls-tree", "--name-only", "HEAD", "app/")).isEqualTo("app/web.yaml\n");
    assertThat(file("other/values.yaml")).isEqualTo("flag: two\n");
    assertThat(work.run("log", "-1", "--format=%an <%ae>%n%B"))
        .startsWith("Tagflow <tagflow@tagflow.dev>\nRoll back web\n\nsync #2 was bad\n")
        .contains("This reverts commit " + bad + ".")
        .contains("This reverts commit " + image + ".");
  }

  @Test
  void aRevertThatConflictsWithALaterCommitWritesTheGoodFilesInstead() {
    String bad = work.commit("app/web.yaml", "image: web:2.0.0\nreplicas: 2\n", "web 2.0.0");
    String later = work.commit("app/web.yaml", "image: web:2.0.1\nreplicas: 2\n", "web 2.0.1");
    work.commit("other/values.yaml", "flag: two\n", "other app");
    push();

    GitRevert.Result result = revert(bad);

    pulled();
    assertThat(result.method()).isEqualTo(GitRevert.Method.GOOD_FILES);
    assertThat(result.reverted()).isEmpty();
    assertThat(result.message()).contains("a revert did not apply cleanly");
    assertThat(file("app/web.yaml")).isEqualTo("image: web:1.0.0\nreplicas: 2\n");
    assertThat(file("other/values.yaml")).isEqualTo("flag: two\n");
    assertThat(work.run("log", "-1", "--format=%B"))
        .contains("Writes the files of " + good + " under app (a revert did not apply cleanly).");
    assertThat(work.run("rev-list", "--count", later + "..HEAD").strip()).isEqualTo("2");
  }

  @Test
  void aCommitThatAlsoChangedAnotherApplicationIsNotRevertedWhole() {
    work.write("app/web.yaml", "image: web:2.0.0\nreplicas: 2\n");
    String bad = work.commit("other/values.yaml", "flag: two\n", "web 2.0.0 and the other app");
    push();

    GitRevert.Result result = revert(bad);

    pulled();
    assertThat(result.method()).isEqualTo(GitRevert.Method.GOOD_FILES);
    assertThat(result.message()).contains(bad.substring(0, 12) + " also changes files outside app");
    assertThat(file("app/web.yaml")).isEqualTo("image: web:1.0.0\nreplicas: 2\n");
    assertThat(file("other/values.yaml")).isEqualTo("flag: two\n");
  }

  @Test
  void aPathTheBadCommitsDidNotChangeNeedsNoCommit() {
    String bad = work.commit("other/values.yaml", "flag: two\n", "other app only");
    push();

    GitRevert.Result result = revert(bad);

    assertThat(result.method()).isEqualTo(GitRevert.Method.NOTHING_TO_DO);
    assertThat(result.commit()).isEmpty();
    assertThat(pulled()).isEqualTo(bad);
  }

  @Test
  void aPathThatDidNotExistAtTheGoodCommitIsRemoved() {
    String bad = work.commit("app/new/job.yaml", "kind: Job\n", "a job");
    push();

    GitRevert.Result result =
        revert.revert(origin, "main", "./app/new/", good, bad, "Roll back jobs", "bad");

    pulled();
    assertThat(result.method()).isEqualTo(GitRevert.Method.REVERTED);
    assertThat(work.run("ls-tree", "-r", "--name-only", "HEAD"))
        .isEqualTo("app/web.yaml\nother/values.yaml\n");
  }

  @Test
  void anUnknownBranchOrCommitIsRefusedAndNothingIsPushed() {
    String bad = work.commit("app/web.yaml", "image: web:2.0.0\n", "web 2.0.0");
    push();

    assertThatThrownBy(() -> revert.revert(origin, "release", "app", good, bad, "Roll back", "bad"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("branch 'release' is not in the repository");
    assertThatThrownBy(() -> revert.revert(origin, "main", "app", "0".repeat(40), bad, "x", "y"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("commit " + "0".repeat(40) + " is not in the repository");
    assertThat(pulled()).isEqualTo(bad);
  }
}
