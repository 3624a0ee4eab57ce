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

  @Test
  void refusesAUrlWithCredentialsWithoutRepeatingThem() {
    String secret = "s3cret-r3po-add";
    for (String url :
        new String[] {
          "https://me:" + secret + "@example.com/a.git",
          "https://:" + secret + "@example.com/a.git",
          "https://" + secret + "@example.com/a.git"
        }) {
      assertThat(run("repo", "add", url, "--no-check")).isEqualTo(ExitCode.INVALID_INPUT);

      assertThat(err.toString())
          .contains("holds credentials")
          .contains("tagflow repo add https://example.com/a.git")
          .contains("--token-file <file>")
          .contains("--username <user> and --password-file <file>")
          .doesNotContain(secret)
          .doesNotContain("me:");
      assertThat(out.toString()).isEmpty();
    }
    assertThat(data.resolve("repositories.yaml")).doesNotExist();

    // picocli quotes an argument it cannot place; that one too passes the redaction.
    assertThat(run("repo", "add", "https://example.com/a.git", "https://me:" + secret + "@x/b"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("https://x/b").doesNotContain(secret);
  }

  @Test
  void listsAnOlderFilesUrlWithoutItsCredentials() throws Exception {
    Files.writeString(
        data.resolve("repositories.yaml"),
        "repositories:\n- name: app\n  url: https://me:s3cret@example.com/a.git\n");

    assertThat(run("repo", "list", "-o", "json")).isZero();

    assertThat(out.toString())
        .contains("\"url\" : \"https://example.com/a.git\"")
        .doesNotContain("s3cret")
        .doesNotContain("me:");
  }

  @Test
  void aFailureNamesTheUrlWithoutItsCredentials() {
    assertThat(run("repo", "refs", "https://tok3n-s3cret@example.com/a.git", "--debug"))
        .isEqualTo(ExitCode.INVALID_INPUT);

    assertThat(err.toString())
        .contains("no repository named 'https://example.com/a.git'")
        .contains("\tat ")
        .doesNotContain("tok3n-s3cret");
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
