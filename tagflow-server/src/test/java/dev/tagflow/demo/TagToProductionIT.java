package dev.tagflow.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.cli.HeadlessChromium;
import dev.tagflow.cli.Main;
import dev.tagflow.cli.ServerJvmOptions;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.local.process.LogTail;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.store.Event;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.RunRecord;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The whole flow end to end, as {@code make demo} plays it, on real parts: a local cluster,
 * registry and {@code tagflow server} as a process with its own Git server. After each chapter the
 * test checks what it must have done — run succeeded, image in the registry with the run's digest,
 * environment files changed exactly at the image tag, Applications Synced and Healthy at the
 * expected revisions, production untouched until approved, the bad release rolled back to the
 * previous ReplicaSet's image and its commit blocked, drift healed — and a failure names the
 * chapter and prints the statuses, the last run's log tail and the events.
 */
class TagToProductionIT {

  // Kept when the test fails: the server's log and the runs' logs are in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path data;

  private final StringWriter told = new StringWriter();
  private DemoSetup setup;
  private DemoStory story;
  private final Map<String, String> valuesBefore = new java.util.HashMap<>();
  private String headBeforeRelease;

  @AfterEach
  void stop() {
    if (story != null) {
      story.closeClients();
    }
    if (setup != null) {
      setup.close();
      assertThat(setup.running()).as("processes left after close").isEmpty();
    }
  }

  @Test
  void aTagGoesToDevStagingAndApprovedProductionABadReleaseIsRolledBackAndDriftIsHealed() {
    setup = new DemoSetup(data, "e2e");
    story =
        new DemoStory(
            new PrintWriter(told, true),
            setup,
            "e2e",
            serverJava(),
            args -> {
              PrintWriter to = new PrintWriter(told, true);
              return Main.run(args.toArray(String[]::new), to, to);
            });
    try {
      story.play(chapter -> check(chapter));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
    }
  }

  /** The server's JVM as the demo starts it, with the shipped options, in a smaller heap. */
  private static List<String> serverJava() {
    String javaHome = System.getProperty("java.home");
    List<String> command =
        new ArrayList<>(
            List.of("env", "JAVA_HOME=" + javaHome, Path.of(javaHome, "bin", "java").toString()));
    command.addAll(ServerJvmOptions.read());
    command.addAll(List.of("-Xmx384m", "-cp", System.getProperty("java.class.path")));
    return command;
  }

  private void check(DemoStory.Chapter chapter) {
    try {
      switch (chapter) {
        case LOCAL_SETUP -> assertThat(setup.server()).isPresent();
        case REPOSITORIES -> repositoriesChecked();
        case FIRST_RELEASE -> firstReleaseChecked();
        case PRODUCTION_APPROVED -> productionChecked();
        case ROLLED_BACK -> rollbackChecked();
        case DRIFT_HEALED -> driftChecked();
        case SUMMARY -> summaryChecked();
      }
    } catch (AssertionError e) {
      throw new AssertionError("step " + chapter + " broke: " + e.getMessage(), e);
    }
  }

  private void repositoriesChecked() {
    for (String env : DemoStory.ENVIRONMENTS) {
      ApplicationStatus status = status("web-" + env);
      assertThat(status.isReady()).as(status.toString()).isTrue();
      assertThat(deployment(env)).as("no release was promoted to " + env + " yet").isEmpty();
      valuesBefore.put(env, envFile("origin/main", env));
    }
    headBeforeRelease = envHead();
  }

  private void firstReleaseChecked() {
    RunRecord run = run("refs/tags/v1.0.0");
    assertThat(run.status()).as(runLog(run)).isEqualTo(RunRecord.RunStatus.SUCCESS);
    String digest = output(run, "image", "digest");
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(registryDigest("1.0.0")).isEqualTo(digest);

    // Two commits on main, each changing one environment's tag and nothing else.
    String head = envHead();
    assertThat(git("rev-list", "--count", headBeforeRelease + ".." + head).strip()).isEqualTo("2");
    assertThat(git("diff", "--name-only", headBeforeRelease, head).lines().sorted().toList())
        .containsExactly("environments/dev/values.yaml", "environments/staging/values.yaml");
    for (String env : List.of("dev", "staging")) {
      assertThat(envFile(head, env))
          .as("%s values: only the image tag changes, comments intact", env)
          .isEqualTo(valuesBefore.get(env).replace("tag: \"\"", "tag: \"1.0.0\""));
      ApplicationStatus status = status("web-" + env);
      assertThat(status.isReady()).as(status.toString()).isTrue();
      assertThat(status.deployed().orElseThrow().revision().commit()).isEqualTo(head);
      assertThat(image(env)).endsWith("/demo/web:1.0.0");
    }
    assertThat(envFile(head, "production")).isEqualTo(valuesBefore.get("production"));
    assertThat(deployment("production")).as("production before the approval").isEmpty();
    PromotionRecord request = request("production", "1.0.0");
    assertThat(request.state()).isEqualTo(PromotionState.PENDING);
    assertThat(request.draft().digest()).contains(digest);
    // The same through the API, as the web UI and the CLI read it.
    for (String env : List.of("dev", "staging")) {
      JsonNode app = api("/api/v1/applications/web-" + env);
      assertThat(app.path("sync").asText()).as(app.toString()).isEqualTo("Synced");
      assertThat(app.path("health").asText()).as(app.toString()).isEqualTo("Healthy");
      assertThat(app.path("deployedRevision").asText()).as(app.toString()).isEqualTo(head);
    }
  }

  private void productionChecked() {
    PromotionRecord request = request("production", "1.0.0");
    assertThat(request.state()).isEqualTo(PromotionState.MERGED);
    assertThat(request.approvals())
        .extracting(PromotionRecord.Approval::approver)
        .containsExactly(DemoStory.RELEASE_MANAGER);
    String head = envHead();
    assertThat(request.mergedCommit()).contains(head);
    assertThat(envFile(head, "production"))
        .isEqualTo(valuesBefore.get("production").replace("tag: \"\"", "tag: \"1.0.0\""));
    ApplicationStatus status = status("web-production");
    assertThat(status.isReady()).as(status.toString()).isTrue();
    assertThat(status.deployed().orElseThrow().revision().commit()).isEqualTo(head);
    assertThat(image("production")).endsWith("/demo/web:1.0.0");
    JsonNode listed = applications();
    for (String env : DemoStory.ENVIRONMENTS) {
      JsonNode app = listed.get("web-" + env);
      assertThat(app).as("web-%s in GET /api/v1/applications: %s", env, listed).isNotNull();
      assertThat(app.path("environment").asText()).isEqualTo(env);
      assertThat(app.path("sync").asText()).as(app.toString()).isEqualTo("Synced");
      assertThat(app.path("health").asText()).as(app.toString()).isEqualTo("Healthy");
    }
    assertThat(listed.get("web-production").path("deployedRevision").asText()).isEqualTo(head);
    // The approval is in the audit log: who, what, on which request, the result.
    assertThat(audit())
        .anyMatch(
            e ->
                e.path("actor").asText().endsWith(" as " + DemoStory.RELEASE_MANAGER)
                    && e.path("action").asText().equals("approvals approve")
                    && e.path("object")
                        .asText()
                        .startsWith("request " + request.id() + ": 1.0.0 to production")
                    && e.path("result").asText().startsWith("merged"));
  }

  private void rollbackChecked() {
    RunRecord run = run("refs/tags/v1.1.0");
    assertThat(run.status()).as(runLog(run)).isEqualTo(RunRecord.RunStatus.SUCCESS);
    assertThat(registryDigest("1.1.0")).isEqualTo(output(run, "image", "digest"));
    String head = envHead();
    List<String> promoted =
        git("log", "--format=%H", "--grep=promote web v1.1.0 to ", "origin/main").lines().toList();
    assertThat(promoted).hasSize(2);
    for (String env : List.of("dev", "staging")) {
      String app = "web-" + env;
      // A commit promoting 1.1.0 is blocked, and main reverted to 1.0.0 by the rollback policy.
      assertThat(events(app, "RevisionBlocked"))
          .anyMatch(e -> promoted.stream().anyMatch(e.message()::contains));
      assertThat(events(app, "RevertCommitted")).isNotEmpty();
      assertThat(envFile(head, env)).contains("tag: \"1.0.0\"");
      ApplicationStatus status = status(app);
      assertThat(status.isReady()).as(status.toString()).isTrue();
      assertThat(status.deployed().orElseThrow().revision().commit()).isEqualTo(head);
      // The Deployment runs the previous ReplicaSet's image again, all its replicas ready.
      assertThat(image(env)).endsWith("/demo/web:1.0.0");
      ReplicaSet current = currentReplicaSet(env);
      assertThat(current.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
          .endsWith("/demo/web:1.0.0");
      assertThat(current.getStatus().getReadyReplicas()).isEqualTo(current.getSpec().getReplicas());
    }
    assertThat(request("production", "1.1.0").state()).isEqualTo(PromotionState.REJECTED);
    assertThat(image("production")).endsWith("/demo/web:1.0.0");
    // Through the API: dev and staging back at main's head (the revert), production untouched;
    // the policy's rollbacks and the rejection in the audit log.
    JsonNode listed = applications();
    for (String env : List.of("dev", "staging")) {
      JsonNode app = listed.get("web-" + env);
      assertThat(app.path("deployedRevision").asText()).as(app.toString()).isEqualTo(head);
      assertThat(app.path("health").asText()).as(app.toString()).isEqualTo("Healthy");
    }
    List<JsonNode> audit = audit();
    for (String env : List.of("dev", "staging")) {
      assertThat(audit)
          .as("the rollback of web-%s in the audit log", env)
          .anyMatch(
              e ->
                  e.path("actor").asText().equals("controller")
                      && e.path("action").asText().equals("rollback")
                      && e.path("object").asText().equals("web-" + env)
                      && e.path("result").asText().startsWith("RollbackStarted: "))
          .anyMatch(
              e ->
                  e.path("actor").asText().equals("controller")
                      && e.path("action").asText().equals("revert commit")
                      && e.path("object").asText().equals("web-" + env)
                      && e.path("result").asText().startsWith("RevertCommitted: "));
    }
    assertThat(audit)
        .anyMatch(
            e ->
                e.path("action").asText().equals("approvals reject")
                    && e.path("object").asText().contains(": 1.1.0 to production")
                    && e.path("result").asText().startsWith("rejected"));
  }

  private void driftChecked() {
    Deployment production = deployment("production").orElseThrow();
    assertThat(production.getSpec().getReplicas()).isEqualTo(3);
    assertThat(events("web-production", "DriftHealed")).isNotEmpty();
    assertThat(status("web-production").isReady()).isTrue();
    // The Release each environment recorded carries v1.0.0's digest (kwok's Pods report none: the
    // controller takes the one the run recorded when it pushed the image), so 'tagflow releases'
    // shows where that digest runs. Recorded once Healthy after the sync: waited for, not assumed.
    String digest = output(run("refs/tags/v1.0.0"), "image", "digest");
    await()
        .atMost(java.time.Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              StringWriter said = new StringWriter();
              int code;
              try (PrintWriter to = new PrintWriter(said)) {
                code =
                    Main.run(
                        new String[] {
                          "releases", "-o", "json", "--data-dir", setup.serverData().toString()
                        },
                        to,
                        to);
              }
              assertThat(code).as(said.toString()).isZero();
              JsonNode v100 = null;
              for (JsonNode image : PlainJson.MAPPER.readTree(said.toString())) {
                if (image.path("digest").asText().equals(digest)) {
                  v100 = image;
                }
              }
              assertThat(v100).as("v1.0.0's image in %s", said).isNotNull();
              assertThat(v100.path("runningIn").toString())
                  .contains("\"web-dev\"", "\"web-staging\"", "\"web-production\"");
            });
  }

  private void summaryChecked() {
    assertThat(told.toString()).contains("production   1.0.0     Healthy");
    // The web UI's URL and the admin token to log in with, and the token does let one in.
    String token = story.adminToken();
    assertThat(told.toString())
        .contains("web UI        " + story.server().resolve("/ui"))
        .contains("admin token   " + token);
    assertThat(api("/api/v1/session").path("roles").toString()).contains("\"role:admin\"");
    boardShown(token);
  }

  /**
   * The board in a browser, logged in with the admin token: every environment's cell Healthy at its
   * commit. Its screenshot, target/screenshots/demo-board.png, is the README's (docs/board.png).
   */
  private void boardShown(String token) {
    WebDriver browser = HeadlessChromium.start();
    try {
      browser.manage().window().setSize(new Dimension(960, 680));
      browser.get(story.server().resolve("/ui/login").toString());
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.cssSelector("#login-token button")).click();
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      wait.until(ExpectedConditions.urlMatches(".*/ui$"));
      String head = envHead().substring(0, 7);
      for (String env : DemoStory.ENVIRONMENTS) {
        By cell = By.id("cell-web-" + env);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(cell, "Healthy"));
        assertThat(browser.findElement(cell).getText()).contains(head).contains("Synced");
      }
      HeadlessChromium.screenshot(browser, Path.of("target", "screenshots", "demo-board.png"));
    } finally {
      browser.quit();
    }
  }

  // --- reading the parts

  /** GET of an API path with the admin token; fails on any status but 200. */
  private JsonNode api(String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(story.server().resolve(path))
                  .header("Authorization", "Bearer " + story.adminToken())
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
      return PlainJson.MAPPER.readTree(answer.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** GET /api/v1/applications, by name. */
  private JsonNode applications() {
    JsonNode answer = api("/api/v1/applications");
    tools.jackson.databind.node.ObjectNode byName = PlainJson.MAPPER.createObjectNode();
    answer.path("items").forEach(item -> byName.set(item.path("name").asText(), item));
    return byName;
  }

  /** GET /api/v1/audit: its entries. */
  private List<JsonNode> audit() {
    List<JsonNode> entries = new ArrayList<>();
    api("/api/v1/audit").forEach(entries::add);
    return entries;
  }

  private ApplicationStatus status(String application) {
    return story
        .statuses()
        .get(application)
        .orElseThrow(() -> new AssertionError("no status of " + application));
  }

  private Optional<Deployment> deployment(String env) {
    return Optional.ofNullable(
        story.kubernetes().apps().deployments().inNamespace("web-" + env).withName("web").get());
  }

  private String image(String env) {
    return deployment(env)
        .orElseThrow(() -> new AssertionError("no Deployment in web-" + env))
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst()
        .getImage();
  }

  /** The ReplicaSet of the Deployment's current revision. */
  private ReplicaSet currentReplicaSet(String env) {
    String revision =
        deployment(env)
            .orElseThrow()
            .getMetadata()
            .getAnnotations()
            .get("deployment.kubernetes.io/revision");
    return story
        .kubernetes()
        .apps()
        .replicaSets()
        .inNamespace("web-" + env)
        .list()
        .getItems()
        .stream()
        .filter(
            rs ->
                revision.equals(
                    rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no ReplicaSet of revision " + revision + " in web-" + env));
  }

  private RunRecord run(String ref) {
    return story.store().runs().latest(20).stream()
        .filter(r -> r.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no run of " + ref));
  }

  /** An output of the one step of {@code job} that has it. */
  private static String output(RunRecord run, String job, String name) {
    try {
      JsonNode result = PlainJson.MAPPER.readTree(run.result().orElseThrow());
      for (JsonNode j : result.path("jobs")) {
        if (j.path("key").asText().equals(job)) {
          for (JsonNode step : j.path("steps")) {
            if (step.path("outputs").has(name)) {
              return step.path("outputs").path(name).asText();
            }
          }
        }
      }
      throw new AssertionError("no output " + name + " of job " + job + " in " + result);
    } catch (tools.jackson.core.JacksonException e) {
      throw new AssertionError("the run's result is not JSON", e);
    }
  }

  /** The digest of the manifest the registry serves for the tag, computed from its bytes. */
  private String registryDigest(String tag) {
    return story
        .registry()
        .manifestDigest("demo/web", tag)
        .orElseThrow(() -> new AssertionError("no manifest of demo/web:" + tag));
  }

  private PromotionRecord request(String environment, String version) {
    return story.store().promotions().list(Optional.empty()).stream()
        .filter(
            r -> r.draft().environment().equals(environment) && r.draft().version().equals(version))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no promotion request for " + environment + " " + version));
  }

  private List<Event> events(String application, String reason) {
    return story.store().events().recent(application, 200).stream()
        .filter(e -> e.reason().equals(reason))
        .toList();
  }

  private String envHead() {
    git("fetch", "-q", "origin");
    return git("rev-parse", "origin/main").strip();
  }

  private String envFile(String revision, String env) {
    return git("show", revision + ":environments/" + env + "/values.yaml");
  }

  private String git(String... args) {
    GitWorkTree tree = story.environments();
    return tree.git(args);
  }

  private static String runLog(RunRecord run) {
    return LogTail.of(Path.of(run.log()));
  }

  /** What a person needs to see why a step broke: the story, statuses, last run's log, events. */
  private String diagnostics() {
    StringBuilder text = new StringBuilder("--- what the demo said:\n").append(told);
    if (story.store() == null) {
      return text.toString();
    }
    List<String> lines = new ArrayList<>();
    for (String env : DemoStory.ENVIRONMENTS) {
      String app = "web-" + env;
      lines.add(
          "--- status of "
              + app
              + ": "
              + story.statuses().get(app).map(Object::toString).orElse("none"));
      lines.add("--- events of " + app + ":");
      story
          .store()
          .events()
          .recent(app, 15)
          .reversed()
          .forEach(e -> lines.add("  " + e.time() + " " + e.reason() + ": " + e.message()));
    }
    story
        .store()
        .runs()
        .latest(1)
        .forEach(
            r ->
                lines.add(
                    "--- log of run "
                        + r.runId()
                        + " ("
                        + r.status()
                        + "), last lines:\n"
                        + runLog(r)));
    setup.server().ifPresent(s -> lines.add("--- server log, last lines:\n" + s.logTail()));
    try {
      Path dump = setup.serverThreadDump();
      lines.add("--- the server's threads (" + dump + "):\n" + Files.readString(dump));
    } catch (TagflowException | IOException e) {
      lines.add("--- the server's threads: " + e.getMessage());
    }
    return text.append(String.join("\n", lines)).toString();
  }
}
