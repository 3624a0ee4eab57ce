package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.git.GitCommand;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.webhook.WebhookSecret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repository URLs with credentials in them, given to every command and to the running server the
 * way a user or a Git host would give them; then every channel out of Tagflow is searched for the
 * secrets: each command's stdout and stderr, the server's output and log, every HTTP answer, {@code
 * /metrics}, and every file of the data directory. The commands and the server run as real
 * processes with the product's own logging configuration, so what is searched is what a person
 * would see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialLeakTest {

  /** A password, a token, a "user" that is a token: never to be seen again. */
  private static final String SECRET = "Lk9-canary-s3cret-QZx7";

  /** A user name; not a secret, but seeing it means the user info was kept. */
  private static final String USER = "u5er-Kd83";

  /** The push token of the server under test: in its token file (not in the data directory). */
  private static final String PUSH_TOKEN = "tf_canary_push_token_8Hq2";

  private static final String WEBHOOK_SECRET = "webhook secret of the leak test";
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Pattern REFRESH_FAILED =
      Pattern.compile("tagflow_source_refresh_failures_total\\{source=\"github-webhook\"} [1-9]");

  private Path temp;
  private Path data;
  private GitCommand git;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process server;
  private Path serverOut;
  private Path serverErr;
  private URI serverUrl;

  private final List<Run> commands = new ArrayList<>();
  private final List<Answer> answers = new ArrayList<>();
  private String metrics;

  /** One command run: its arguments, exit code, and what it printed. */
  record Run(List<String> args, int exit, String out, String err) {}

  /** One HTTP answer: what was asked, the status, headers and body. */
  record Answer(String request, int status, String headers, String body) {}

  @BeforeAll
  void giveCredentialedUrlsToEveryCommandAndTheServer(@TempDir Path temp) throws Exception {
    this.temp = temp;
    data = temp.resolve("data");
    git = new GitCommand();
    Path tokens = Files.writeString(temp.resolve("push-tokens"), PUSH_TOKEN + "\n");
    Path webhookSecret = Files.writeString(temp.resolve("webhook-secret"), WEBHOOK_SECRET);

    // Refused outright: a URL with credentials to remember, or to follow.
    tagflow("repo", "add", "https://" + USER + ":" + SECRET + "@git.example.com/shop/web.git");
    tagflow("repo", "add", "https://:" + SECRET + "@git.example.com/shop/web.git");
    tagflow("repo", "add", "https://" + SECRET + "@git.example.com");
    tagflow("repo", "add", "ssh://git:" + SECRET + "@git.example.com/shop/web.git", "-o", "json");
    // Were it not refused, the server would run: give up on it after a while rather than never.
    tagflowWithin(
        Duration.ofSeconds(45),
        "server",
        "--data-dir",
        data.toString(),
        "--port",
        "0",
        "--repo",
        "https://" + SECRET + "@github.com/acme/app.git");

    tagflow("git", "create", "envs");
    startServer(tokens, webhookSecret);
    String host = serverUrl.getAuthority();
    String envs = "http://" + host + "/git/envs.git";
    pushEnvironments("http://tagflow:" + PUSH_TOKEN + "@" + host + "/git/envs.git");

    // A render that fetches with the credentials in its URL, then fails: the chart is not there.
    String withPushToken = "http://" + USER + ":" + PUSH_TOKEN + "@" + host + "/git/envs.git";
    tagflow(
        "render",
        "--repo",
        withPushToken,
        "--path",
        "apps/web",
        "--chart-path",
        "charts/missing",
        "--kube-version",
        "1.31.0");

    // A repositories.yaml from before: written by hand, credentials in its URLs.
    Files.writeString(
        data.resolve("repositories.yaml"),
        """
        repositories:
        - name: envs
          url: http://%1$s:%2$s@%3$s/git/envs.git
        - name: gone
          url: http://%2$s@127.0.0.1:9/shop/gone.git
        """
            .formatted(USER, SECRET, host));
    tagflow("repo", "list");
    tagflow("repo", "list", "-o", "json");
    tagflow("repo", "refs", "http://" + USER + ":" + SECRET + "@127.0.0.1:9/shop/gone.git");
    tagflow("repo", "refs", "gone", "--debug");
    tagflow("repo", "resolve", "gone", "main");
    tagflow("repo", "resolve", "envs", "main");
    tagflow("repo", "refs", "https://" + SECRET + "@git.example.com/unknown.git");

    // Renders that fail: a repository nobody serves, an Application with credentials in it.
    tagflow(
        "render",
        "--repo",
        "http://" + USER + ":" + SECRET + "@127.0.0.1:9/shop/gone.git",
        "--kube-version",
        "1.31.0");
    Path application =
        Files.writeString(
            temp.resolve("broken-app.yaml"),
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: broken}
            spec:
              source: {repoURL: "http://:%s@%s/git/envs.git", path: apps/broken}
              destination: {cluster: local, namespace: web}
            """
                .formatted(SECRET, host));
    tagflow("render", application.toString(), "--kube-version", "1.31.0");

    // Deliveries naming the repositories with credentials, tracked or not.
    github("push", "d-envs", "http://" + USER + ":" + SECRET + "@" + host + "/git/envs.git");
    github("push", "d-gone", "http://" + SECRET + "@127.0.0.1:9/shop/gone.git");
    github("push", "d-untracked", "https://" + USER + ":" + SECRET + "@github.com/acme/x.git");
    github("ping", "d-ping", "https://" + SECRET + "@github.com/acme/x.git");
    gitlab("g-untracked", "https://:" + SECRET + "@gitlab.example.com/acme/x.git");
    // The refresh the delivery for "gone" set off has failed once it is counted.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> REFRESH_FAILED.matcher(get("/metrics").body()).find());
    metrics = get("/metrics").body();

    // Adding another repository writes the file again, without the credentials it was read with.
    tagflow("repo", "add", envs.replace("envs.git", "other.git"), "--name", "other", "--no-check");
    stopServer();
  }

  @AfterAll
  void stopEverything() {
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
    }
    http.close();
  }

  @Test
  void urlsWithCredentialsAreRefusedWithoutRepeatingThem() {
    for (Run refused : commands.subList(0, 5)) {
      assertThat(refused.exit()).as(refused.args().toString()).isEqualTo(ExitCode.INVALID_INPUT);
      assertThat(refused.err()).contains("--token-file").contains("--password-file");
    }
    assertThat(commands.get(0).err())
        .contains("tagflow repo add https://git.example.com/shop/web.git");
    assertThat(commands.get(4).err()).contains("--repo https://github.com/acme/app.git");
  }

  @Test
  void commandOutputHoldsNoSecret() {
    for (Run run : commands) {
      assertNoSecret("stdout of tagflow " + run.args(), run.out());
    }
    Run list = find("repo", "list");
    assertThat(list.out())
        .contains("envs")
        .contains("http://" + serverUrl.getAuthority() + "/git/envs.git")
        .contains("http://127.0.0.1:9/shop/gone.git");
  }

  @Test
  void commandErrorsAndLogsHoldNoSecret() {
    for (Run run : commands) {
      assertNoSecret("stderr of tagflow " + run.args(), run.err());
    }
    // What was searched: the warning about the old file, failed fetches, renders and a trace.
    assertThat(find("repo", "list").err())
        .contains("the URL of repository 'envs' holds credentials");
    assertThat(find("repo", "refs", "gone", "--debug").err())
        .contains("cannot reach repository http://127.0.0.1:9/shop/gone.git")
        .contains("\tat ");
    assertThat(find("render", "--repo").err())
        .contains("tagflow: ")
        .contains("http://" + serverUrl.getAuthority() + "/git/envs.git");
    assertThat(find("render", temp.resolve("broken-app.yaml").toString()).exit()).isNotZero();
  }

  @Test
  void theServersOutputAndLogHoldNoSecret() throws IOException {
    String out = Files.readString(serverOut);
    String log = Files.readString(serverErr);

    assertNoSecret("the server's stdout", out);
    assertNoSecret("the server's log", log);
    assertThat(log)
        .contains("the URL of repository 'envs' holds credentials")
        .contains("refreshing refs of http://127.0.0.1:9/shop/gone.git failed")
        .contains("for untracked repository https://github.com/acme/x.git");
  }

  @Test
  void webhookAnswersHoldNoSecret() {
    for (Answer answer : answers) {
      assertNoSecret("the answer to " + answer.request(), answer.headers() + answer.body());
    }
    assertThat(answers.getFirst().status()).isEqualTo(202);
    assertThat(answers.getFirst().body())
        .contains("\"accepted\"")
        .contains("http://" + serverUrl.getAuthority() + "/git/envs.git");
    assertThat(answers.get(2).body()).contains("no tracked repository matches https://github.com/");
  }

  @Test
  void metricsHoldNoSecret() {
    assertNoSecret("/metrics", metrics);
    assertThat(metrics).contains("repository=\"http://127.0.0.1:9/shop/gone.git\"");
  }

  @Test
  void filesInTheDataDirectoryHoldNoSecret() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      assertNoSecret(data.relativize(file).toString(), file.toString());
      assertNoSecret(
          data.relativize(file).toString(),
          new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }
    assertThat(files).anyMatch(file -> file.endsWith("FETCH_HEAD"));
    assertThat(data.resolve("repositories.yaml"))
        .content()
        .contains("url: http://" + serverUrl.getAuthority() + "/git/envs.git");
  }

  private void assertNoSecret(String channel, String text) {
    assertThat(text)
        .as(channel)
        .doesNotContain(SECRET)
        .doesNotContain(USER)
        .doesNotContain(PUSH_TOKEN);
  }

  /** The first command run whose arguments start with {@code prefix}. */
  private Run find(String... prefix) {
    return commands.stream()
        .filter(run -> run.args().size() >= prefix.length)
        .filter(run -> run.args().subList(0, prefix.length).equals(List.of(prefix)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no command " + List.of(prefix) + " was run"));
  }

  /** Runs {@code tagflow <args> --data-dir <data>} as its own process, as a person would. */
  private Run tagflow(String... args) throws Exception {
    return tagflowWithin(Duration.ofSeconds(120), args);
  }

  private Run tagflowWithin(Duration limit, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--data-dir")) {
      all.add("--data-dir");
      all.add(data.toString());
    }
    Process process =
        TagflowProcess.of(all, temp.resolve("cmd.out"), temp.resolve("cmd.err")).start();
    if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("tagflow " + all + " did not finish in " + limit);
    }
    Run run =
        new Run(
            List.of(args),
            process.exitValue(),
            Files.readString(temp.resolve("cmd.out")),
            Files.readString(temp.resolve("cmd.err")));
    commands.add(run);
    return run;
  }

  private void startServer(Path tokens, Path webhookSecret) throws Exception {
    serverOut = temp.resolve("server.out");
    serverErr = temp.resolve("server.err");
    server =
        TagflowProcess.of(
                List.of(
                    "server",
                    "--data-dir",
                    data.toString(),
                    "--port",
                    "0",
                    "--git-token-file",
                    tokens.toString(),
                    "--webhook-secret-file",
                    webhookSecret.toString()),
                serverOut,
                serverErr)
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> LISTENING.matcher(Files.readString(serverOut)).find() || !server.isAlive());
    Matcher listening = LISTENING.matcher(Files.readString(serverOut));
    if (!listening.find()) {
      throw new AssertionError("the server did not start:\n" + Files.readString(serverErr));
    }
    serverUrl = URI.create(listening.group(1));
  }

  /** Stops the server as Ctrl-C would, so that its log is complete. */
  private void stopServer() throws InterruptedException {
    server.destroy();
    if (!server.waitFor(30, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  /** Pushes an environment repository: a plain-manifest app and a broken one. */
  private void pushEnvironments(String pushUrl) throws IOException {
    Path work = GitWorkTree.init(temp.resolve("envs-work")).commit("first").directory();
    Files.createDirectories(work.resolve("apps/web"));
    Files.writeString(
        work.resolve("apps/web/config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\n");
    Files.createDirectories(work.resolve("apps/broken"));
    Files.writeString(work.resolve("apps/broken/bad.yaml"), "kind: [unclosed\n");
    git.run(work, "add", ".");
    git.run(work, "commit", "-q", "-m", "environments");
    git.run(work, "push", "-q", pushUrl, "main");
  }

  private void github(String event, String deliveryId, String cloneUrl) {
    String body =
        "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\""
            + cloneUrl
            + "\",\"html_url\":\"https://github.com/acme/app\"}}";
    post(
        "/api/webhooks/github",
        body,
        "X-GitHub-Event",
        event,
        "X-GitHub-Delivery",
        deliveryId,
        "X-Hub-Signature-256",
        WebhookSecret.of(WEBHOOK_SECRET).signatureOf(body.getBytes(StandardCharsets.UTF_8)));
  }

  private void gitlab(String deliveryId, String httpUrl) {
    String body =
        "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\","
            + "\"project\":{\"git_http_url\":\""
            + httpUrl
            + "\"}}";
    post(
        "/api/webhooks/gitlab",
        body,
        "X-Gitlab-Event",
        "Push Hook",
        "X-Gitlab-Event-UUID",
        deliveryId,
        "X-Gitlab-Token",
        WEBHOOK_SECRET);
  }

  private void post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(serverUrl.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    send("POST " + path + " " + headers[1], request);
  }

  private HttpResponse<String> get(String path) {
    return send("GET " + path, HttpRequest.newBuilder(serverUrl.resolve(path)).GET());
  }

  private HttpResponse<String> send(String what, HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      answers.add(
          new Answer(
              what, response.statusCode(), response.headers().map().toString(), response.body()));
      return response;
    } catch (IOException e) {
      throw new AssertionError(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
