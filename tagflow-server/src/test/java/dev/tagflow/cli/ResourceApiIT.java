package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.local.git.GitWorkTree;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The runs, promotions, secrets, tokens and repositories of {@code /api/v1} on one real {@code
 * tagflow server} process whose Git server gets the pushes: a run's log followed live over
 * server-sent events until its end event, dispatch, rerun and cancel; a production promotion
 * approved through the API by the environment policy's rules (the author and a deployer refused,
 * two release managers needed); a secret's value in no answer, log or audit line; and the followed
 * logs closed when the server stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// A safety net, not a measure: a stream that never sends what a test waits for must not hang the
// build.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ResourceApiIT {

  private static final String TOKEN = "tf_resource_api_push_token";

  private static final String POLICY =
      """
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: production
          accept:
            - tags: "v*"
          promotion:
            approval: {required: 2, roles: [release-manager]}
      """;

  // Kept when a test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path temp;

  private ServerProcess server;
  private URI url;
  private Path gate;
  private final HttpClient http = HttpClient.newHttpClient();
  private String admin;
  private String viewer;
  private String deployer;

  @BeforeAll
  void start() throws Exception {
    server = new ServerProcess(temp, TOKEN);
    server.host("app");
    server.host("web");
    server.host("env");
    Path config =
        Files.writeString(
            temp.resolve("tagflow.yaml"),
            """
            dataDir: %s
            rbac:
              policy: |
                g, alice, role:release-manager
                g, rita, role:release-manager
                g, rob, role:release-manager
                g, dee, role:deployer
                g, vic, role:viewer
            """
                .formatted(server.data()));
    url = URI.create(server.with("--config", config.toString()).start());
    admin = Files.readString(server.data().resolve("admin-token")).strip();
    viewer = token("vic");
    deployer = token("dee");
    gate = temp.resolve("gate");
  }

  @AfterAll
  void stop() {
    server.close();
    http.close();
  }

  /** A token for {@code owner}, made through the API by the admin. */
  private String token(String owner) throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"" + owner + "-it\",\"owner\":\"" + owner + "\",\"expires\":\"1d\"}",
            admin);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return PlainJson.MAPPER.readTree(created.body()).path("token").asText();
  }

  private HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + token);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode read(String path, String token) throws Exception {
    HttpResponse<String> answer = call("GET", path, null, token);
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
    return PlainJson.MAPPER.readTree(answer.body());
  }

  /** One server-sent event. */
  record Event(String name, String id, String data) {}

  /** The events of a stream, read as they come. */
  static final class Events implements AutoCloseable {
    private final Stream<String> body;
    private final Iterator<String> lines;

    Events(HttpResponse<Stream<String>> response) {
      this.body = response.body();
      this.lines = body.iterator();
    }

    /** The next event; null once the stream has ended. Comments (heartbeats) are skipped. */
    Event next() {
      String name = "message";
      String id = null;
      List<String> data = new ArrayList<>();
      boolean any = false;
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.isEmpty()) {
          if (any) {
            return new Event(name, id, String.join("\n", data));
          }
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        any = true;
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
        switch (field) {
          case "event" -> name = value;
          case "id" -> id = value;
          case "data" -> data.add(value);
          default -> {}
        }
      }
      return null;
    }

    /** The first event whose data holds {@code text}; fails if the stream ends first. */
    Event lineWith(String text) {
      for (Event event = next(); event != null; event = next()) {
        if (event.data().contains(text)) {
          return event;
        }
      }
      throw new AssertionError("the stream ended before a line with '" + text + "'");
    }

    /** The events until (and with) the first named {@code name}; fails if the stream ends first. */
    List<Event> until(String name) {
      List<Event> seen = new ArrayList<>();
      for (Event event = next(); event != null; event = next()) {
        seen.add(event);
        if (event.name().equals(name)) {
          return seen;
        }
      }
      throw new AssertionError("the stream ended before a '" + name + "' event: " + seen);
    }

    @Override
    public void close() {
      body.close();
    }
  }

  private HttpResponse<Stream<String>> follow(String runId, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url.resolve("/api/v1/runs/" + runId + "/logs?follow=true"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }

  /** The id of the run of {@code repository} at {@code ref}, once the API lists it. */
  private String awaitListed(String repository, String ref) {
    String[] id = new String[1];
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              server.assertAlive();
              for (JsonNode run :
                  read("/api/v1/runs?repository=" + repository + "&ref=" + ref, viewer)
                      .path("items")) {
                id[0] = run.path("id").asText();
                return true;
              }
              return false;
            });
    return id[0];
  }

  private String appWorkflow() {
    return """
        on:
          push:
            tags: ['v*']
          workflow_dispatch:
            inputs:
              hold:
                type: string
                default: 'no'
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - name: talk
                run: |
                  echo "first line of the log"
                  if [ "${{ inputs.hold }}" = "yes" ]; then echo "holding"; sleep 600; fi
                  while [ ! -f '%s' ]; do sleep 0.1; done
                  echo "second line of the log"
        """
        .formatted(gate);
  }

  private void push(GitWorkTree work, String repository, String tag) {
    work.git("push", "-q", server.pushUrl(repository), "main");
    work.git("tag", "-a", tag, "-m", "release " + tag);
    work.git("push", "-q", server.pushUrl(repository), "refs/tags/" + tag);
  }

  /** Dispatches, as the deployer, a run that holds (sleeps) after saying so; its id. */
  private String dispatchHeld() throws Exception {
    HttpResponse<String> dispatched =
        call(
            "POST",
            "/api/v1/runs",
            "{\"repository\":\"git/app\",\"workflow\":\"release.yml\",\"ref\":\"v1.0.0\","
                + "\"inputs\":{\"hold\":\"yes\"}}",
            deployer);
    assertThat(dispatched.statusCode()).as(dispatched.body()).isEqualTo(202);
    return PlainJson.MAPPER.readTree(dispatched.body()).path("run").asText();
  }

  @Test
  @Order(1)
  void aRunsLogIsFollowedLiveUntilItsEndEventThenRerunAndDispatchedAndCancelled() throws Exception {
    GitWorkTree app =
        GitWorkTree.init(temp.resolve("app-work"))
            .write(".github/workflows/release.yml", appWorkflow())
            .commit("release workflow");
    push(app, "app", "v1.0.0");
    String runId = awaitListed("git/app", "v1.0.0");

    // The run waits at the gate after its first line: that line must come live, before the run
    // can end, and only then does the test open the gate.
    List<Event> seen;
    try (Events events = new Events(follow(runId, viewer))) {
      Event first = events.lineWith("first line of the log");
      assertThat(first.name()).isEqualTo("log");
      assertThat(Long.parseLong(first.id())).isPositive();
      Files.writeString(gate, "open");
      seen = events.until("end");
    }
    assertThat(seen)
        .filteredOn(e -> e.name().equals("log"))
        .anySatisfy(e -> assertThat(e.data()).contains("second line of the log"));
    JsonNode end = PlainJson.MAPPER.readTree(seen.getLast().data());
    assertThat(end.path("run").asText()).isEqualTo(runId);
    assertThat(end.path("status").asText()).isEqualTo("success");

    // The run as the API shows it: its job and step, its log as text.
    JsonNode run = read("/api/v1/runs/" + runId, viewer);
    assertThat(run.path("status").asText()).isEqualTo("success");
    assertThat(run.path("repository").asText()).isEqualTo("git/app");
    assertThat(run.path("jobs").get(0).path("key").asText()).isEqualTo("build");
    assertThat(run.path("jobs").get(0).path("steps").get(0).path("name").asText())
        .isEqualTo("talk");
    HttpResponse<String> text = call("GET", "/api/v1/runs/" + runId + "/logs", null, viewer);
    assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(text.body()).contains("first line of the log").contains("second line of the log");
    // A plain GET of the stream without asking for events is refused, not left hanging.
    HttpResponse<String> noAccept =
        call("GET", "/api/v1/runs/" + runId + "/logs?follow=true", null, viewer);
    assertThat(noAccept.statusCode()).isEqualTo(406);
    // A finished run's log followed: what it wrote, then the end event at once.
    try (Events again = new Events(follow(runId, viewer))) {
      assertThat(again.until("end")).hasSizeGreaterThan(2);
    }

    // Rerun: a viewer may not, a deployer may.
    assertThat(call("POST", "/api/v1/runs/" + runId + "/rerun", "{}", viewer).statusCode())
        .isEqualTo(403);
    HttpResponse<String> rerun =
        call("POST", "/api/v1/runs/" + runId + "/rerun", "{\"force\":false}", deployer);
    assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(202);
    String rerunId = PlainJson.MAPPER.readTree(rerun.body()).path("run").asText();
    assertThat(rerunId).isNotEqualTo(runId);
    try (Events events = new Events(follow(rerunId, deployer))) {
      assertThat(
              PlainJson.MAPPER
                  .readTree(events.until("end").getLast().data())
                  .path("status")
                  .asText())
          .isEqualTo("success");
    }

    // Dispatch by hand with an input that holds the run; then cancel it while it runs.
    HttpResponse<String> refused =
        call(
            "POST",
            "/api/v1/runs",
            "{\"repository\":\"git/app\",\"workflow\":\"release.yml\",\"ref\":\"v1.0.0\","
                + "\"inputs\":{\"nope\":\"x\"}}",
            deployer);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("nope");
    String held = dispatchHeld();
    try (Events events = new Events(follow(held, deployer))) {
      assertThat(events.lineWith(" holding").name()).isEqualTo("log");
      assertThat(read("/api/v1/runs/" + held, viewer).path("status").asText()).isEqualTo("running");
      // At most eight followed logs per token: the ninth is refused while these are open.
      List<Events> more = new ArrayList<>();
      try {
        for (int i = 0; i < 7; i++) {
          more.add(new Events(follow(held, deployer)));
        }
        HttpResponse<Stream<String>> ninth = follow(held, deployer);
        assertThat(ninth.statusCode()).isEqualTo(429);
        ninth.body().close();
      } finally {
        more.forEach(Events::close);
      }
      HttpResponse<String> cancel =
          call("POST", "/api/v1/runs/" + held + "/cancel", null, deployer);
      assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
      assertThat(
              PlainJson.MAPPER
                  .readTree(events.until("end").getLast().data())
                  .path("status")
                  .asText())
          .isEqualTo("cancelled");
    }
    HttpResponse<String> again = call("POST", "/api/v1/runs/" + held + "/cancel", null, deployer);
    assertThat(again.statusCode()).isEqualTo(409);

    // Filters.
    assertThat(read("/api/v1/runs?status=cancelled", viewer).path("items").findValuesAsString("id"))
        .containsExactly(held);
    assertThat(read("/api/v1/runs?repository=git/none", viewer).path("items").size()).isZero();
    // The repository is listed by the name runs use, its URL without credentials.
    JsonNode repository = read("/api/v1/repositories/git/app", viewer);
    assertThat(repository.path("hosted").asBoolean()).isTrue();
    assertThat(repository.path("url").asText()).endsWith("/git/app.git").doesNotContain("@");
  }

  @Test
  @Order(2)
  void aProductionPromotionIsApprovedByTwoReleaseManagersNeitherTheAuthorNorADeployer()
      throws Exception {
    GitWorkTree env =
        GitWorkTree.init(temp.resolve("env-work"))
            .write("environments/policy.yaml", POLICY)
            .write("environments/production/values.yaml", "image:\n  tag: \"0.9.0\"\n")
            .commit("environments");
    env.git("push", "-q", server.pushUrl("env"), "main");
    GitWorkTree web =
        GitWorkTree.init(temp.resolve("web-work"))
            .write(
                ".github/workflows/release.yml",
                """
                on: {push: {tags: ['v*']}}
                jobs:
                  promote:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: tagflow/promote@v1
                        with:
                          repository: %s
                          environments: production
                          application: web
                          author: alice
                """
                    .formatted(server.repositoryUrl("env")))
            .commit("release workflow");
    push(web, "web", "v2.0.0");
    String runId = awaitListed("git/web", "v2.0.0");
    try (Events events = new Events(follow(runId, viewer))) {
      JsonNode end = PlainJson.MAPPER.readTree(events.until("end").getLast().data());
      assertThat(end.path("status").asText())
          .as(read("/api/v1/runs/" + runId, viewer).toString())
          .isEqualTo("success");
    }
    JsonNode pending = read("/api/v1/promotions", viewer).path("items");
    assertThat(pending).hasSize(1);
    long id = pending.get(0).path("id").asLong();
    assertThat(pending.get(0).path("environment").asText()).isEqualTo("production");
    assertThat(pending.get(0).path("author").asText()).isEqualTo("alice");
    assertThat(pending.get(0).path("requiredApprovals").asInt()).isEqualTo(2);
    String path = "/api/v1/promotions/" + id;

    String alice = token("alice");
    String rita = token("rita");
    String rob = token("rob");
    // The release's author may not approve it, even as a release manager.
    HttpResponse<String> author = call("POST", path + "/approve", null, alice);
    assertThat(author.statusCode()).as(author.body()).isEqualTo(400);
    assertThat(author.body()).contains("cannot approve its own promotion");
    // A deployer may not approve in production: the policy stops it before the request is read.
    HttpResponse<String> notManager = call("POST", path + "/approve", null, deployer);
    assertThat(notManager.statusCode()).isEqualTo(403);
    assertThat(notManager.body()).contains("\"error\":\"forbidden\"");
    // Two different release managers: the first leaves it pending, twice counts once.
    HttpResponse<String> first = call("POST", path + "/approve", null, rita);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode afterFirst = PlainJson.MAPPER.readTree(first.body());
    assertThat(afterFirst.path("state").asText()).isEqualTo("Pending");
    assertThat(afterFirst.path("approvals").findValuesAsString("approver")).containsExactly("rita");
    HttpResponse<String> twice = call("POST", path + "/approve", null, rita);
    assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
    HttpResponse<String> second = call("POST", path + "/approve", null, rob);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    JsonNode merged = PlainJson.MAPPER.readTree(second.body());
    assertThat(merged.path("state").asText()).isEqualTo("Merged");
    assertThat(merged.path("approvals").findValuesAsString("approver"))
        .containsExactly("rita", "rob");
    assertThat(read("/api/v1/promotions", viewer).path("items").size()).isZero();
    assertThat(
            read("/api/v1/promotions?state=decided", viewer)
                .path("items")
                .get(0)
                .path("id")
                .asLong())
        .isEqualTo(id);
    // Decided: neither approved nor rejected again.
    assertThat(call("POST", path + "/reject", "{\"reason\":\"late\"}", rita).statusCode())
        .isEqualTo(400);
    // Every approval, allowed or not, is in the audit log with who asked.
    String audit = call("GET", "/api/v1/audit", null, admin).body();
    assertThat(audit).contains("POST /api/v1/promotions/{id}/approve");
    assertThat(audit).contains("dee (token dee-it)").contains("rob (token rob-it)");
  }

  @Test
  @Order(3)
  void aSecretsValueIsInNoAnswerLogOrAuditLine() throws Exception {
    String value = "value-" + UUID.randomUUID();
    String path = "/api/v1/secrets/repository/app/DEPLOY_KEY";
    assertThat(call("PUT", path, "{\"value\":\"" + value + "\"}", deployer).statusCode())
        .isEqualTo(403);
    List<HttpResponse<String>> answers = new ArrayList<>();
    HttpResponse<String> set = call("PUT", path, "{\"value\":\"" + value + "\"}", admin);
    answers.add(set);
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(PlainJson.MAPPER.readTree(set.body()).path("name").asText()).isEqualTo("DEPLOY_KEY");
    HttpResponse<String> listed = call("GET", "/api/v1/secrets?repository=app", null, viewer);
    answers.add(listed);
    assertThat(PlainJson.MAPPER.readTree(listed.body()).path("items").findValuesAsString("name"))
        .containsExactly("DEPLOY_KEY");
    answers.add(call("GET", "/api/v1/audit", null, admin));
    answers.add(call("GET", "/api/v1/secrets", null, admin));
    HttpResponse<String> deleted = call("DELETE", path, null, admin);
    answers.add(deleted);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(call("DELETE", path, null, admin).statusCode()).isEqualTo(404);
    answers.add(call("GET", "/api/v1/audit", null, admin));
    assertThat(answers.getLast().body()).contains("PUT /api/v1/secrets/{kind}/{scope}/{name}");
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.body()).doesNotContain(value);
    }
    for (Path file : List.of(server.out(), server.err())) {
      assertThat(Files.readString(file)).as(file.toString()).doesNotContain(value);
    }
    try (Stream<Path> files = Files.walk(server.data())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(value);
      }
    }
  }

  @Test
  @Order(4)
  void aRevokedTokenIsRefusedAndTheListShowsNoSecret() throws Exception {
    // This server's kubeconfig does not exist: its one cluster is listed as unreachable, saying
    // why.
    JsonNode cluster = read("/api/v1/clusters", viewer).path("items").get(0);
    assertThat(cluster.path("name").asText()).isEqualTo("local");
    assertThat(cluster.path("reachable").asBoolean()).isFalse();
    assertThat(cluster.path("error").asText()).isNotBlank();
    // No run pushed an image here: no release yet.
    assertThat(read("/api/v1/releases", viewer).path("items").size()).isZero();
    String token = token("temp");
    assertThat(call("GET", "/api/v1/runs", null, token).statusCode()).isEqualTo(200);
    String list = call("GET", "/api/v1/tokens", null, admin).body();
    assertThat(list).contains("temp-it").doesNotContain(token).doesNotContain(admin);
    assertThat(call("GET", "/api/v1/tokens", null, viewer).statusCode()).isEqualTo(403);
    assertThat(call("DELETE", "/api/v1/tokens/temp-it", null, admin).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/runs", null, token).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(5)
  void aFollowedLogIsClosedWhenTheServerStops() throws Exception {
    String held = dispatchHeld();
    try (Events events = new Events(follow(held, viewer))) {
      assertThat(events.lineWith(" holding").name()).isEqualTo("log");
      server.stop();
      // The stream ends: no end event (the run did not end), no hanging reader.
      Event after = events.next();
      while (after != null && after.name().equals("log")) {
        after = events.next();
      }
      assertThat(after).isNull();
    }
  }
}
