package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.git.HostedRepositories;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCommandTest {

  @TempDir Path data;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void createMakesABareRepositoryAndPrintsItsCloneUrl() {
    int exit = run("git", "create", "environments", "--data-dir", data.toString());

    assertThat(exit).isEqualTo(ExitCode.OK);
    assertThat(data.resolve("git/environments.git/HEAD")).exists();
    assertThat(out.toString()).contains("http://127.0.0.1:7070/git/environments.git");
    assertThat(run("git", "list", "--data-dir", data.toString())).isZero();
    assertThat(out.toString())
        .contains("environments\thttp://127.0.0.1:7070/git/environments.git\ttoken");
  }

  @Test
  void anonymousReadIsChosenAtCreationAndChangedWithSet() {
    HostedRepositories repositories = new HostedRepositories(data.resolve("git"));
    run("git", "create", "charts", "--anonymous-read", "--data-dir", data.toString());
    assertThat(repositories.allowsAnonymousRead("charts")).isTrue();
    assertThat(out.toString()).contains("Anyone may clone and fetch it; pushing needs a token.");

    int exit = run("git", "set", "charts", "--anonymous-read=false", "--data-dir", data.toString());

    assertThat(exit).isEqualTo(ExitCode.OK);
    assertThat(repositories.allowsAnonymousRead("charts")).isFalse();
    assertThat(out.toString()).contains("charts: cloning and fetching need a token now");
  }

  @Test
  void setOnAMissingRepositoryIsInvalidInputNamingTheList() {
    int exit = run("git", "set", "nope", "--anonymous-read=true", "--data-dir", data.toString());

    assertThat(exit).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("no repository 'nope'").contains("tagflow git list");
  }

  @Test
  void createRefusesANameThatCouldLeaveTheDataDirectory() {
    int exit = run("git", "create", "../outside", "--data-dir", data.toString());

    assertThat(exit).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("not a valid repository name");
    assertThat(Files.exists(data.resolveSibling("outside.git"))).isFalse();
  }

  @Test
  void serverRefusesAPortOutOfRange() {
    int exit = run("server", "--port", "70000", "--data-dir", data.toString());

    assertThat(exit).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("--port must be between 0 and 65535");
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
