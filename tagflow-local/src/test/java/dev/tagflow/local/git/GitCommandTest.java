package dev.tagflow.local.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.local.LocalSetupException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCommandTest {

  @TempDir Path temp;

  private final GitCommand git = new GitCommand();

  @Test
  void aWorkTreeCommitsWithTheFixedAuthorAndTellsItsHead() {
    GitWorkTree tree = GitWorkTree.init(temp.resolve("work"));

    String commit = tree.commitFile("env/values.yaml", "image: {tag: 1.0.0}\n", "first");

    assertThat(commit).matches("[0-9a-f]{40}");
    assertThat(git.run(tree.directory(), "log", "-1", "--format=%an <%ae> %s").strip())
        .isEqualTo("Tagflow <local@tagflow.dev> first");
    assertThat(git.run(tree.directory(), "show", commit + ":env/values.yaml"))
        .isEqualTo("image: {tag: 1.0.0}\n");
  }

  @Test
  void aPushToItsOriginReachesTheBareRepository() {
    Path bare = temp.resolve("origin.git");
    GitWorkTree tree = GitWorkTree.init(temp.resolve("work")).withOrigin(bare);
    String commit = tree.commitFile("README.md", "hello\n", "first");

    tree.git("tag", "v1.0.0");
    tree.git("push", "-q", "origin", "main", "--tags");

    assertThat(git.run(bare, "rev-parse", "main", "v1.0.0").lines()).containsOnly(commit);
  }

  @Test
  void aFailureIsAnErrorWithTheCommandItsExitCodeAndWhatGitSaid() {
    GitWorkTree tree = GitWorkTree.init(temp.resolve("work"));

    GitCommand.Result result = tree.tryGit("rev-parse", "no-such-branch");
    assertThat(result.succeeded()).isFalse();
    assertThat(result.exitCode()).isEqualTo(128);

    assertThatThrownBy(() -> tree.git("rev-parse", "no-such-branch"))
        .isInstanceOf(LocalSetupException.class)
        .hasMessageStartingWith("git rev-parse no-such-branch failed in " + tree.directory())
        .hasMessageContaining("(exit 128)")
        .hasMessageContaining("no-such-branch");
  }

  @Test
  void aTokenInAUrlIsNotInTheFailureMessage() {
    // Port 1 on loopback: nothing listens, so git fails at once and names the URL.
    String url = "http://tagflow:s3cret-token@127.0.0.1:1/git/envs.git";

    assertThatThrownBy(() -> git.run(temp, "ls-remote", url))
        .isInstanceOf(LocalSetupException.class)
        .hasMessageContaining("http://***@127.0.0.1:1/git/envs.git")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-token"));
  }
}
