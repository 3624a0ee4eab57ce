package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitCommand;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.TestServer;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.store.jdbc.JdbcStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tagflow promote} and {@code tagflow approvals} against an environment repository on
 * Tagflow's own Git server over HTTP, its token in a password file: the values files change only at
 * the tag, production's prerelease is refused with exit code 3 and nothing pushed, production's
 * request is approved and merged, and the token never appears in any output.
 */
class PromoteCommandTest {

  private static final String POLICY =
      """
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: dev
          accept: [{tags: "v*"}, {branches: main}]
          promotion: auto
        - name: staging
          accept: [{tags: "v*", prerelease: false}]
          promotion: auto
          applications: [web-staging]
        - name: production
          after: staging
          accept:
            - {tags: "v*", semver: true, prerelease: false}
            - {tags: "prod-v*", semver: true}
          promotion:
            approval: {required: 2, roles: [release-manager, sre]}
      """;

  private static final String VALUES =
      """
      # web in %s
      image:
        repository: registry.local/web   # pushed by tagflow/image
        tag: 1.2.2
      ingress: {enabled: true, host: "%s.web.local"}
      """;

  private static final String COMMIT = "0123456789abcdef".repeat(2) + "01234567";

  @TempDir Path temp;
  private TestServer server;
  private GitCommand git;
  private Path data;
  private Path work;
  private String url;
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void environmentRepositoryOnTheGitServer() throws IOException {
    server = TestServer.start(temp.resolve("server"));
    git = new GitCommand();
    HttpResponse<String> created =
        server.post(
            "/api/repos",
            "{\"name\":\"environments\"}",
            "Authorization",
            "Bearer " + TestServer.TOKEN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    url = server.url() + "/git/environments.git";
    work = GitWorkTree.init(temp.resolve("work")).commit("first").directory();
    Files.writeString(work.resolve("README.md"), "environments\n");
    write("environments/policy.yaml", POLICY);
    for (String environment : List.of("dev", "staging", "production")) {
      write(
          "environments/" + environment + "/values.yaml",
          VALUES.formatted(environment, environment));
    }
    git.run(work, "add", "-A");
    git.run(work, "commit", "-q", "-m", "environments");
    git.run(work, "push", "-q", withToken(url), "main");

    data = temp.resolve("data");
    Path password = temp.resolve("token");
    Files.writeString(password, TestServer.TOKEN + "\n");
    assertThat(
            run(
                "repo",
                "add",
                url,
                "--name",
                "env",
                "--username",
                "tagflow",
                "--password-file",
                password.toString()))
        .as(err.toString())
        .isZero();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private void write(String path, String content) throws IOException {
    Path file = work.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static String withToken(String url) {
    return url.replace("http://", "http://tagflow:" + TestServer.TOKEN + "@");
  }

  /** The environment repository's branch as the Git server has it, fetched with the git command. */
  private String remote(String branch, String path) {
    git.run(work, "fetch", "-q", withToken(url), "+refs/heads/*:refs/remotes/server/*");
    return git.run(work, "show", "refs/remotes/server/" + branch + ":" + path);
  }

  private String remoteHead() {
    git.run(work, "fetch", "-q", withToken(url), "+refs/heads/*:refs/remotes/server/*");
    return git.run(work, "rev-parse", "refs/remotes/server/main").strip();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = data.toString();
    int code = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(out.toString() + err.toString()).doesNotContain(TestServer.TOKEN);
    return code;
  }

  private int promote(String tag, String... more) {
    String[] args = {
      "promote", tag, "--repo", "env", "--commit", COMMIT, "--name", "web", "--author", "dana"
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return run(all);
  }

  @Test
  void devAndStagingCarryTheVersionAndDifferOnlyThere() {
    String before = remoteHead();

    assertThat(promote("v1.2.3", "--to", "dev", "--to", "staging")).as(err.toString()).isZero();

    assertThat(out.toString())
        .containsPattern("dev: committed [0-9a-f]{12} to main \\(image.tag: 1.2.2 → 1.2.3\\)")
        .containsPattern("staging: committed [0-9a-f]{12} to main");
    for (String environment : List.of("dev", "staging")) {
      assertThat(remote("main", "environments/" + environment + "/values.yaml"))
          .isEqualTo(
              VALUES.formatted(environment, environment).replace("tag: 1.2.2", "tag: 1.2.3"));
    }
    String diff = git.run(work, "diff", "--stat", before, "refs/remotes/server/main");
    assertThat(diff).contains("2 files changed, 2 insertions(+), 2 deletions(-)");
  }

  @Test
  void aPrereleaseForProductionIsRefusedWithItsRuleAndExitCode3() {
    String before = remoteHead();

    assertThat(promote("v1.3.0-rc.1", "--to", "production")).isEqualTo(ExitCode.REFUSED);

    assertThat(out.toString())
        .contains(
            "production: refused: v1.3.0-rc.1 is refused for production by the rule tags v*,"
                + " versions without prerelease at environments/policy.yaml:14:9: 1.3.0-rc.1 is a prerelease (rc.1); other rules: rule environments/policy.yaml:15:9 (tags prod-v*, versions): v1.3.0-rc.1 does not match prod-v*. Nothing was written")
        .contains("Nothing was written");
    assertThat(remoteHead()).isEqualTo(before);
  }

  @Test
  void productionGetsARequestThatTwoApproversMerge() {
    assertThat(promote("v1.2.3", "--to", "staging")).isZero();
    // The controller saw web-staging Healthy at that commit.
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      String manifests = store.manifests().put("kind: List".getBytes(StandardCharsets.UTF_8));
      store
          .history()
          .record(
              "web-staging",
              SyncRecord.started(
                      remoteHead(), "main", manifests, SyncTrigger.AUTOMATION, Instant.now())
                  .finished(SyncResult.SUCCEEDED, "[]", "", Instant.now())
                  .withHealthAfter("Healthy"));
    }
    String before = remoteHead();

    assertThat(promote("v1.2.3", "--to", "production", "-o", "json")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"result\" : \"requested\"").contains("\"request\" : 1");
    assertThat(remoteHead()).isEqualTo(before);

    assertThat(run("approvals", "list")).isZero();
    assertThat(out.toString())
        .containsPattern(
            "1 +production +web v1.2.3 +image.tag=1.2.3 +Pending +0/2 +release-manager,sre");

    assertThat(run("approvals", "approve", "1", "--as", "dana", "--role", "sre"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("dana made release tag v1.2.3 and cannot approve");
    assertThat(run("approvals", "approve", "1", "--as", "alice", "--role", "sre")).isZero();
    assertThat(out.toString()).contains("request 1 approved (1 of 2); pending");
    assertThat(remoteHead()).isEqualTo(before);

    assertThat(run("approvals", "approve", "1", "--as", "bob", "--role", "release-manager"))
        .isZero();

    assertThat(out.toString()).contains("request 1 merged into main as").contains("(fast-forward)");
    assertThat(remote("main", "environments/production/values.yaml"))
        .isEqualTo(
            VALUES.formatted("production", "production").replace("tag: 1.2.2", "tag: 1.2.3"));
    assertThat(run("approvals", "list", "--all", "-o", "json")).isZero();
    assertThat(out.toString()).contains("\"state\" : \"Merged\"");
    assertThat(run("approvals", "reject", "1", "--as", "carol")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("promotion request 1 is merged, not pending");

    // Each approval and rejection, refused or not, is in the audit log: who, what, result.
    assertThat(run("audit", "-o", "json")).isZero();
    String user = System.getProperty("user.name");
    assertThat(out.toString())
        .contains("\"actor\" : \"cli:" + user + " as dana\"")
        .contains("\"result\" : \"refused: dana made release tag v1.2.3 and cannot approve")
        .contains("\"actor\" : \"cli:" + user + " as alice\"")
        .contains("\"result\" : \"pending, 1 of 2 approvals\"")
        .contains("\"actor\" : \"cli:" + user + " as bob\"")
        .contains("\"action\" : \"approvals approve\"")
        .contains("\"object\" : \"request 1: 1.2.3 to production (")
        .contains("\"result\" : \"merged, 2 of 2 approvals: merged into main as")
        .contains("\"action\" : \"approvals reject\"")
        .contains("\"result\" : \"refused: promotion request 1 is merged, not pending");
  }

  @Test
  void badInputIsExitCode2WithAMessage() {
    assertThat(promote("v1.2.3", "--to", "dev", "--set", "image..tag=1"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("'image..tag' is not a values path");
    assertThat(promote("v1.2.3", "--to", "dev", "--mode", "yolo"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("'yolo' is not a promotion mode");
    assertThat(run("promote", "v1.2.3", "--to", "dev", "--repo", "env"))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("say which commit v1.2.3 is");
    assertThat(run("approvals", "approve", "7", "--as", "alice")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("there is no promotion request 7");
  }
}
