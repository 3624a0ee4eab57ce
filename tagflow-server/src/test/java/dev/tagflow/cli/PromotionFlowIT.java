package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.store.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Promotion in the release flow of {@code tagflow server} as a process, tags pushed with the real
 * {@code git push --tags} to its Git server, the environment repository hosted by the same server
 * and read back with {@code git}: dev and staging by commit, a qa branch, production by a promotion
 * request that a person with the policy's role, not the release's author, approves with {@code
 * tagflow approvals approve}; a prerelease refused for production by its rule with nothing written;
 * two tags pushed at once both landing on main without a merge commit.
 */
class PromotionFlowIT {

  private static final String TOKEN = "tf_promotion_flow_it_token_0123456789";

  private static final String POLICY =
      """
      # The environments of web, in the order a release goes through them.
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: dev
          accept:
            - tags: "v*"
          promotion: auto
        - name: staging
          accept:
            - {tags: "v*", prerelease: false}
          promotion: auto
        - name: qa
          accept:
            - tags: "v*"
          promotion: auto
        - name: production
          accept:
            - {tags: "v*", semver: true, prerelease: false}
            - {tags: "prod-v*", semver: true}
          promotion:
            approval: {required: 1, roles: [release-manager]}
      """;

  /** The rule production's first accept rule is, where the policy file has it. */
  private static final String PRODUCTION_RULE =
      "environments/policy.yaml:"
          + (POLICY
                  .lines()
                  .toList()
                  .indexOf("      - {tags: \"v*\", semver: true, prerelease: false}")
              + 1)
          + ":9";

  private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "qa", "production");

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private ServerProcess server;
  private Path envBare;
  private GitWorkTree app;
  private String mainBefore;

  @BeforeEach
  void setUp() throws Exception {
    server = new ServerProcess(temp, TOKEN);
    server.host("app");
    envBare = server.host("env");
    server.start();
    GitWorkTree env =
        GitWorkTree.init(temp.resolve("env-work")).write("environments/policy.yaml", POLICY);
    for (String environment : ENVIRONMENTS) {
      env.write("environments/" + environment + "/values.yaml", values(environment, "1.2.2"));
    }
    env.commit("environments").git("push", "-q", server.pushUrl("env"), "main");
    mainBefore = bare("rev-parse", "main").strip();
    app = GitWorkTree.init(temp.resolve("app-work"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aTagGoesToDevAndStagingByCommitToQaOnItsBranchAndToProductionOnceAPersonApproves()
      throws Exception {
    RunRecord run = release("v1.2.3", workflow(TEST, true));
    assertThat(run.status()).as(runText(run)).isEqualTo(RunRecord.RunStatus.SUCCESS);

    // dev and staging: commits on main that change the version and nothing else of the files.
    for (String environment : List.of("dev", "staging")) {
      assertThat(valuesOn("main", environment)).isEqualTo(values(environment, "1.2.3"));
    }
    assertThat(bare("diff", "--name-only", mainBefore, "main").lines())
        .containsExactly("environments/dev/values.yaml", "environments/staging/values.yaml");
    assertThat(bare("rev-list", "--min-parents=2", mainBefore + "..main")).isBlank();
    // qa: its own branch env/qa, main's qa untouched.
    assertThat(valuesOn("env/qa", "qa")).isEqualTo(values("qa", "1.2.3"));
    assertThat(valuesOn("main", "qa")).isEqualTo(values("qa", "1.2.2"));

    // production: a promotion request, and main's production unchanged until it is approved.
    ServerProcess.Result list = server.tagflow("approvals", "list", "-o", "json");
    assertThat(list.exit()).as(list.err()).isZero();
    JsonNode requests = PlainJson.MAPPER.readTree(list.out());
    assertThat(requests).hasSize(1);
    JsonNode request = requests.get(0);
    assertThat(request.path("environment").asText()).isEqualTo("production");
    assertThat(request.path("state").asText()).isEqualTo("Pending");
    assertThat(request.path("release").asText()).isEqualTo("web");
    assertThat(request.path("source").asText()).isEqualTo("tag v1.2.3");
    assertThat(request.path("author").asText()).isEqualTo("alice");
    assertThat(request.path("values").path("image.tag").asText()).isEqualTo("1.2.3");
    String id = request.path("id").asText();
    String branch = request.path("promotionBranch").asText();
    assertThat(valuesOn(branch, "production")).isEqualTo(values("production", "1.2.3"));
    String mainAfterRun = bare("rev-parse", "main").strip();
    assertThat(valuesOn("main", "production")).isEqualTo(values("production", "1.2.2"));

    // The approver pushes with their own token, as a person on this host does.
    ServerProcess.Result added =
        server.tagflow(
            "repo",
            "add",
            server.repositoryUrl("env"),
            "--name",
            "environments",
            "--token-file",
            server.tokenFile().toString());
    assertThat(added.exit()).as(added.out() + added.err()).isZero();

    ServerProcess.Result byAuthor =
        server.tagflow("approvals", "approve", id, "--as", "alice", "--role", "release-manager");
    assertThat(byAuthor.exit()).as(byAuthor.out()).isEqualTo(2);
    assertThat(byAuthor.err()).contains("alice");
    ServerProcess.Result withoutRole = server.tagflow("approvals", "approve", id, "--as", "bob");
    assertThat(withoutRole.exit()).as(withoutRole.out()).isEqualTo(2);
    assertThat(withoutRole.err()).contains("release-manager");
    assertThat(bare("rev-parse", "main").strip()).isEqualTo(mainAfterRun);

    ServerProcess.Result approved =
        server.tagflow(
            "approvals", "approve", id, "--as", "carol", "--role", "release-manager", "-o", "json");
    assertThat(approved.exit()).as(approved.out() + approved.err()).isZero();
    JsonNode merged = PlainJson.MAPPER.readTree(approved.out());
    assertThat(merged.path("state").asText()).isEqualTo("Merged");
    assertThat(merged.path("approvals").get(0).path("approver").asText()).isEqualTo("carol");
    assertThat(valuesOn("main", "production")).isEqualTo(values("production", "1.2.3"));
    assertThat(bare("diff", "--name-only", mainAfterRun, "main").strip())
        .isEqualTo("environments/production/values.yaml");
    assertThat(bare("rev-list", "--min-parents=2", mainBefore + "..main")).isBlank();
    assertThat(merged.path("mergedCommit").asText()).isEqualTo(bare("rev-parse", "main").strip());

    assertNoTokenShown(run);
  }

  @Test
  void aPrereleaseIsRefusedForProductionNamingTheRuleAndNothingIsWritten() throws Exception {
    String refsBefore = bare("for-each-ref");

    RunRecord run = release("v1.3.0-rc.1", workflow(TEST, true));

    assertThat(run.status()).as(runText(run)).isEqualTo(RunRecord.RunStatus.FAILURE);
    JsonNode production = step(run, "production", "production");
    assertThat(production.path("conclusion").asText()).isEqualTo("failure");
    assertThat(production.path("message").asText())
        .contains("nothing written")
        .contains("production refused by " + PRODUCTION_RULE)
        .contains(
            "v1.3.0-rc.1 is refused for production by the rule tags v*, versions without prerelease");
    assertThat(Files.readString(Path.of(run.log())))
        .contains("production refused by " + PRODUCTION_RULE);
    // staging refuses a prerelease too, so the commit promotion wrote nothing to dev either.
    assertThat(step(run, "promote", "dev-staging").path("message").asText())
        .contains("staging refused by environments/policy.yaml:");
    assertThat(bare("for-each-ref")).isEqualTo(refsBefore);
    ServerProcess.Result list = server.tagflow("approvals", "list", "--all", "-o", "json");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(PlainJson.MAPPER.readTree(list.out())).isEmpty();
  }

  @Test
  void twoTagsPushedAtTheSameMomentBothLandOnMainWithoutAMergeCommit() throws Exception {
    // Each run's test step waits until both have started: the two runs promote at once.
    Path started = Files.createDirectories(temp.resolve("started"));
    String together =
        "touch '%1$s'/$GITHUB_REF_NAME; until [ -e '%1$s'/v1.4.0 ] && [ -e '%1$s'/v1.5.0 ];"
            + " do sleep 0.05; done";
    app.write(".github/workflows/release.yml", workflow(together.formatted(started), false))
        .commit("release workflow");
    app.git("tag", "-a", "v1.4.0", "-m", "release 1.4.0");
    app.write("src/Main.txt", "the next version\n").commit("next version");
    app.git("tag", "-a", "v1.5.0", "-m", "release 1.5.0");
    app.git("push", "-q", server.pushUrl("app"), "main");

    // One push delivers both tags: two runs at once, each promoting to dev and staging.
    app.git("push", "-q", "--tags", server.pushUrl("app"));
    RunRecord first = server.awaitRun("refs/tags/v1.4.0");
    RunRecord second = server.awaitRun("refs/tags/v1.5.0");

    for (RunRecord run : List.of(first, second)) {
      assertThat(run.status()).as(runText(run)).isEqualTo(RunRecord.RunStatus.SUCCESS);
      JsonNode outputs = step(run, "promote", "dev-staging").path("outputs");
      for (String environment : List.of("dev", "staging")) {
        String commit = outputs.path(environment + "-commit").asText();
        assertThat(commit).matches("[0-9a-f]{40}");
        // Each promotion's commit is on main's one line of history.
        assertThat(bare("merge-base", "--is-ancestor", commit, "main")).isEmpty();
      }
    }
    assertThat(bare("rev-list", "--min-parents=2", mainBefore + "..main")).isBlank();
    assertThat(bare("log", "--format=%s", mainBefore + "..main").lines())
        .containsExactlyInAnyOrder(
            "promote web v1.4.0 to dev",
            "promote web v1.4.0 to staging",
            "promote web v1.5.0 to dev",
            "promote web v1.5.0 to staging");
    // What the last promotion wrote is there, the rest of the file as it was.
    String last = bare("log", "-1", "--format=%s", "main").contains("v1.5.0") ? "1.5.0" : "1.4.0";
    assertThat(valuesOn("main", "staging")).isEqualTo(values("staging", last));
  }

  /** Pushes the workflow and {@code tag} of a new commit; the tag's run, once it has ended. */
  private RunRecord release(String tag, String workflow) {
    app.write(".github/workflows/release.yml", workflow).commit("release workflow");
    app.git("push", "-q", server.pushUrl("app"), "main");
    app.git("tag", "-a", tag, "-m", "release " + tag);
    app.git("push", "-q", "--tags", server.pushUrl("app"));
    return server.awaitRun("refs/tags/" + tag);
  }

  /** A test step that only says what it tests. */
  private static final String TEST = "echo \"testing $GITHUB_REF_NAME at $GITHUB_SHA\"";

  /**
   * A test job of the one step {@code test}, then promotion as release workflows lay it out: dev
   * and staging by commit; with {@code everywhere} also qa on its branch, and production by a
   * promotion request in a job of its own. The release's author is who pushed the tag.
   */
  private String workflow(String test, boolean everywhere) {
    String envUrl = server.repositoryUrl("env");
    String common =
        """
        on:
          push:
            tags: ['v*']
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - timeout-minutes: 2
                run: %2$s
          promote:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - id: dev-staging
                uses: tagflow/promote@v1
                with:
                  repository: %1$s
                  environments: dev, staging
                  application: web
                  author: alice
        """
            .formatted(envUrl, test);
    if (!everywhere) {
      return common;
    }
    return common
        + """
              - id: qa
                uses: tagflow/promote@v1
                with:
                  repository: %1$s
                  environments: qa
                  mode: branch
                  application: web
                  author: alice
          production:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - id: production
                uses: tagflow/promote@v1
                with:
                  repository: %1$s
                  environments: production
                  mode: pull-request
                  application: web
                  author: alice
        """
            .formatted(envUrl);
  }

  /** The values file of an environment; every line but the tag's stays as it is. */
  private static String values(String environment, String version) {
    return """
        # Values of web in %s.
        replicaCount: 1   # kept as it is

        image:
          repository: registry.local/shop/web   # the registry of the release
          tag: "%s"   # written by Tagflow
        """
        .formatted(environment, version);
  }

  private String valuesOn(String branch, String environment) {
    return bare("show", branch + ":environments/" + environment + "/values.yaml");
  }

  /** A step of the run's result by its id. */
  private static JsonNode step(RunRecord run, String job, String id) throws Exception {
    JsonNode result = PlainJson.MAPPER.readTree(run.result().orElseThrow());
    for (JsonNode j : result.path("jobs")) {
      if (j.path("key").asText().equals(job)) {
        for (JsonNode step : j.path("steps")) {
          if (step.path("id").asText().equals(id)) {
            return step;
          }
        }
      }
    }
    throw new AssertionError("no step " + job + "." + id + " in " + result);
  }

  private static String runText(RunRecord run) throws Exception {
    return Files.readString(Path.of(run.log())) + run.result().orElse("");
  }

  private void assertNoTokenShown(RunRecord run) throws Exception {
    for (Path file : List.of(server.out(), server.err(), Path.of(run.log()))) {
      assertThat(Files.readString(file)).as(file.toString()).doesNotContain(TOKEN);
    }
  }

  private String bare(String... args) {
    return GitWorkTree.open(envBare).git(args);
  }
}
