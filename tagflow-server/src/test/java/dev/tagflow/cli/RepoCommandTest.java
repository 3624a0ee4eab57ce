package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoCommandTest {

  @TempDir Path data;
  @TempDir Path work;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();
  private String v12commit;

  @BeforeEach
  void makeRepository() throws Exception {
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      PersonIdent me = new PersonIdent("Test", "test@tagflow.dev");
      for (String tag : new String[] {"v1.1.0", "v1.2.0", "v2.0.0-rc.1"}) {
        Files.writeString(work.resolve("version.txt"), tag);
        git.add().addFilepattern(".").call();
        var commit = git.commit().setMessage(tag).setAuthor(me).setCommitter(me).call();
        git.tag().setName(tag).setObjectId(commit).setAnnotated(false).call();
        if (tag.equals("v1.2.0")) {
          v12commit = commit.name();
        }
      }
    }
  }

  @Test
  void addsARepositoryAndListsIt() {
    assertThat(run("repo", "add", work.toString(), "--name", "app")).isZero();
    assertThat(out.toString()).contains("Added app (" + work + ", 4 branches and tags)");
    assertThat(data.resolve("repositories.yaml")).content().contains("name: app");

    assertThat(run("repo", "list")).isZero();
    assertThat(out.toString()).containsPattern("NAME +URL +AUTH +FETCHED +REFS");
    assertThat(out.toString()).containsPattern("app +" + work + " +none +never +0");
  }

  @Test
  void resolvesARangeByNameAndPrintsJson() {
    run("repo", "add", work.toString(), "--name", "app");

    assertThat(run("repo", "resolve", "app", "^1", "-o", "json")).isZero();

    assertThat(out.toString())
        .contains("\"kind\" : \"version_range\"")
        .contains("\"commit\" : \"" + v12commit + "\"")
        .contains("\"tag\" : \"v1.2.0\"")
        .contains("\"version\" : \"1.2.0\"");
  }

  @Test
  void acceptsTheUrlInsteadOfTheName() {
    run("repo", "add", work.toString());

    assertThat(run("repo", "resolve", work.toString(), "v1.1.0")).isZero();
    assertThat(out.toString()).contains("KIND:      tag").contains("REF:       refs/tags/v1.1.0");
  }

  @Test
  void showsTheRefsTheRemoteAdvertises() {
    run("repo", "add", work.toString(), "--name", "app");

    assertThat(run("repo", "refs", "app", "-o", "json")).isZero();
    assertThat(out.toString()).contains("\"refs/tags/v1.2.0\" : \"" + v12commit + "\"");
  }

  @Test
  void aRangeNothingMatchesIsInvalidInputNamingTheTags() {
    run("repo", "add", work.toString(), "--name", "app");

    assertThat(run("repo", "resolve", "app", "^3")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .contains("no tag of " + work + " matches the version range '^3'")
        .contains("tags seen: v1.1.0, v1.2.0, v2.0.0-rc.1");
  }

  @Test
  void anUnknownRepositoryNamesTheKnownOnes() {
    run("repo", "add", work.toString(), "--name", "app");

    assertThat(run("repo", "refs", "web")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("no repository named 'web' (known: app)");
  }

  @Test
  void refusesToAddAnUnreachableRepositoryOrTheSameNameTwice() {
    assertThat(run("repo", "add", work.resolve("missing").toString())).isEqualTo(ExitCode.FAILED);
    assertThat(err.toString()).contains("cannot reach repository");
    run("repo", "add", work.toString(), "--name", "app");

    assertThat(run("repo", "add", work.toString(), "--name", "other"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("was added already, as 'app'");
  }

  @Test
  void refusesTwoWaysToLogIn() throws Exception {
    Path token = Files.writeString(work.resolve("token"), "secret");

    int exit =
        run(
            "repo",
            "add",
            "https://example.com/a.git",
            "--token-file",
            token.toString(),
            "--username",
            "me",
            "--password-file",
            token.toString());

    assertThat(exit).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("give one way to log in");
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
