package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.TestServer;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.server.webhook.WebhookSecret;
import dev.tagflow.store.RunRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A repository added over the API to a real {@code tagflow server} process, living on another Git
 * server (an in-process Tagflow that asks for a token): the server polls it at once, logging in
 * with the stored secret the body named, takes webhooks naming it (ignored before it was added),
 * and a tag pushed there runs its release workflow — no restart; the repository is still there
 * after a restart; it cannot be removed while an Application reads it (409 naming it), and can once
 * none does. The token is in no answer and no line of the server's log.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RepositoryApiIT {

  private static final String TOKEN = "tf_repository_api_it_push_token";
  private static final String WEBHOOK_SECRET = "repository api it webhook secret";

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private ServerProcess server;
  private TestServer elsewhere;
  private URI url;
  private String admin;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (elsewhere != null) {
      elsewhere.close();
    }
    http.close();
  }

  @Test
  void anAddedRepositoryIsPolledWithItsSecretKeptAcrossARestartAndRemovedOnceUnused()
      throws Exception {
    // The other Git server, and its repository with a release workflow.
    Path other = temp.resolve("elsewhere");
    elsewhere = TestServer.start(other);
    new HostedRepositories(other.resolve("git")).create("web");
    String webUrl = elsewhere.url() + "/git/web.git";
    String webPush = webUrl.replace("http://", "http://tagflow:" + TestServer.TOKEN + "@");
    GitWorkTree web =
        GitWorkTree.init(temp.resolve("web-work"))
            .write(
                ".github/workflows/release.yml",
                """
                on:
                  push:
                    tags: ['v*']
                jobs:
                  release:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "released $GITHUB_REF_NAME"
                """)
            .commit("release workflow");
    web.git("push", "-q", webPush, "main");

    Path apps = Files.createDirectories(temp.resolve("apps"));
    server = new ServerProcess(temp.resolve("server"), TOKEN);
    Path hookSecret = Files.writeString(temp.resolve("webhook-secret"), WEBHOOK_SECRET);
    url =
        URI.create(
            server
                .with(
                    "--apps",
                    apps.toString(),
                    "--poll-interval",
                    "2s",
                    "--webhook-secret-file",
                    hookSecret.toString())
                .start());
    admin = Files.readString(server.data().resolve("admin-token")).strip();
    // Before it is added, a webhook naming it is ignored.
    assertThat(webhook(webUrl, "d-1")).contains("\"status\":\"ignored\"");

    // The token as a secret, then the repository naming it.
    HttpResponse<String> secret =
        call(
            "PUT",
            "/api/v1/secrets/project/shop/WEB_TOKEN",
            "{\"value\":\"" + TestServer.TOKEN + "\"}");
    assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
    HttpResponse<String> added =
        call(
            "POST",
            "/api/v1/repositories",
            "{\"url\":\"" + webUrl + "\",\"passwordSecret\":\"project/shop/WEB_TOKEN\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(PlainJson.MAPPER.readTree(added.body()).path("name").asText()).isEqualTo("git/web");

    // Polled at once, with the secret: its mirror fetched (so the poll's baseline is set), a tag
    // pushed there now runs its workflow.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                metric(
                    "tagflow_source_fetch_seconds_count{",
                    "outcome=\"success\"",
                    "repository=\"" + webUrl + "\""));
    web.git("tag", "v1.0.0");
    web.git("push", "-q", webPush, "refs/tags/v1.0.0");
    RunRecord run = server.awaitRun("refs/tags/v1.0.0");
    assertThat(run.repository()).isEqualTo("git/web");
    assertThat(run.status()).isEqualTo(RunRecord.RunStatus.SUCCESS);
    // Webhooks naming it are taken too (after the poll's baseline, which a delivery's comparison
    // would otherwise set).
    assertThat(webhook(webUrl, "d-2")).contains("\"status\":\"accepted\"").contains(webUrl);

    // Kept across a restart.
    server.stop();
    url = URI.create(server.start());
    JsonNode kept = read("/api/v1/repositories/git/web");
    assertThat(kept.path("source").asText()).isEqualTo("api");
    assertThat(kept.path("passwordSecret").asText()).isEqualTo("project/shop/WEB_TOKEN");

    // An application reading it keeps it.
    Path app =
        Files.writeString(
            apps.resolve("web-dev.yaml"),
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: web-dev}
            spec:
              project: shop
              source: {repoURL: "%s", targetRevision: main, path: deploy}
              destination: {cluster: local, namespace: web}
            """
                .formatted(webUrl.replace(".git", "")));
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> call("GET", "/api/v1/applications/web-dev", null).statusCode() == 200);
    HttpResponse<String> inUse = call("DELETE", "/api/v1/repositories/git/web", null);
    assertThat(inUse.statusCode()).as(inUse.body()).isEqualTo(409);
    assertThat(PlainJson.MAPPER.readTree(inUse.body()).path("message").asText())
        .contains("still read by application web-dev");
    assertThat(read("/api/v1/repositories/git/web").path("source").asText()).isEqualTo("api");
    // The command line says the same, as a client of the API.
    Cli listed = tagflow("repo", "list", "--server", url.toString());
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out())
        .contains("git/web")
        .contains(webUrl)
        .contains("api")
        .contains("secret project/shop/WEB_TOKEN");
    Cli refused = tagflow("repo", "rm", "git/web", "--server", url.toString());
    assertThat(refused.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(refused.err()).contains("still read by application web-dev");

    Files.delete(app);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> call("GET", "/api/v1/applications/web-dev", null).statusCode() == 404);
    Cli removed = tagflow("repo", "rm", "git/web", "--server", url.toString());
    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("Removed git/web");
    assertThat(call("GET", "/api/v1/repositories/git/web", null).statusCode()).isEqualTo(404);
    Cli again = tagflow("repo", "rm", "git/web", "--server", url.toString());
    assertThat(again.exit()).isEqualTo(ExitCode.NOT_FOUND);
    // Added again from the command line: only the secret's name is sent.
    Cli add =
        tagflow(
            "repo",
            "add",
            webUrl,
            "--password-secret",
            "project/shop/WEB_TOKEN",
            "--server",
            url.toString());
    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out()).contains("Added git/web").contains("secret project/shop/WEB_TOKEN");
    Cli withFile =
        tagflow("repo", "add", webUrl, "--token-file", "/etc/hostname", "--server", url.toString());
    assertThat(withFile.exit()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(withFile.err()).contains("--password-secret");

    // The audit log has each change; no answer and no log line has the token.
    String audit = read("/api/v1/audit?limit=100").toString();
    assertThat(audit)
        .contains("POST /api/v1/repositories")
        .contains("DELETE /api/v1/repositories/{owner}/{name}")
        .contains("409");
    assertThat(audit + kept + added.body()).doesNotContain(TestServer.TOKEN);
    assertThat(server.allErr() + server.allOut()).doesNotContain(TestServer.TOKEN);
  }

  /** A signed GitHub push delivery naming {@code repository}; the server's answer's body. */
  private String webhook(String repository, String delivery) throws Exception {
    String body =
        "{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"git/web\","
            + "\"clone_url\":\""
            + repository
            + "\"}}";
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(url.resolve("/api/webhooks/github"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", delivery)
                .header(
                    "X-Hub-Signature-256",
                    WebhookSecret.of(WEBHOOK_SECRET)
                        .signatureOf(body.getBytes(StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return answer.body();
  }

  /** The output of one {@code tagflow} client process. */
  private record Cli(int exit, String out, String err) {}

  /** {@code tagflow args…} as a process of its own, with the admin token in TAGFLOW_TOKEN. */
  private Cli tagflow(String... args) throws Exception {
    Path out = Files.createTempFile(temp, "cli", ".out");
    Path err = Files.createTempFile(temp, "cli", ".err");
    ProcessBuilder builder = TagflowProcess.of(List.of(args), out, err);
    builder.environment().remove("TAGFLOW_SERVER");
    builder.environment().put("TAGFLOW_TOKEN", admin);
    builder.environment().put("XDG_CONFIG_HOME", temp.resolve("xdg").toString());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
    return new Cli(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Whether a line of /metrics starts with {@code prefix} and holds each of {@code labels}. */
  private boolean metric(String prefix, String... labels) throws Exception {
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(url.resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    return metrics
        .body()
        .lines()
        .anyMatch(
            line -> line.startsWith(prefix) && List.of(labels).stream().allMatch(line::contains));
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + admin);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode read(String path) throws Exception {
    HttpResponse<String> answer = call("GET", path, null);
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
    return PlainJson.MAPPER.readTree(answer.body());
  }
}
