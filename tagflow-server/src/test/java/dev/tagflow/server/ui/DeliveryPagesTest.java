package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.TestServer;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.RunRecord;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery pages over HTTP on a real server with a real store (no pipeline, no controller):
 * what Git, a log or a person wrote shows as text, a run's log streams live to its end, the inbox
 * without a pipeline says so, the audit log filters, settings show a new token once.
 */
class DeliveryPagesTest {

  private static final String SCRIPT = "<script>alert('x')</script>";

  @TempDir Path temp;
  TestServer server;
  String admin;
  String viewer;

  @BeforeEach
  void start() {
    server = TestServer.start(temp.resolve("data"));
    admin = server.daemon.access().tokens().create("ui-admin", "admin", Optional.empty()).text();
    viewer = server.daemon.access().tokens().create("ui-viewer", "vera", Optional.empty()).text();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aRunsLogLineAndStepMessageWithAScriptTagShowAsText() throws Exception {
    Path log = Files.writeString(temp.resolve("run.log"), "first line\n" + SCRIPT + "\n");
    RunRecord run = run("run-1", log, "git/<b>app</b>");
    server.store.runs().started(run);
    server
        .store
        .runs()
        .finished(
            "run-1",
            RunRecord.RunStatus.FAILURE,
            Instant.now(),
            """
            {"jobs": [{"key": "test", "conclusion": "failure", "message": "%s",
              "steps": [{"index": 1, "name": "%s", "conclusion": "failure", "exitCode": 1,
                         "message": "%s", "outputs": {"o": "%s"}}]}]}
            """
                .formatted(SCRIPT.replace("'", ""), SCRIPT, SCRIPT, SCRIPT));

    HttpResponse<String> list = server.get(RunsPage.LIST, "Authorization", "Bearer " + admin);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("/ui/runs/run-1").contains("git/&lt;b&gt;app&lt;/b&gt;");
    assertThat(list.body()).doesNotContain("<b>app");

    HttpResponse<String> page = server.get("/ui/runs/run-1", "Authorization", "Bearer " + admin);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("&lt;script&gt;")
        .doesNotContain(SCRIPT)
        .contains("sse-connect=\"/ui/runs/run-1/log/events\"");

    List<String> events = readToEnd("run-1");
    assertThat(String.join("\n", events))
        .contains("event: line")
        .contains("first line")
        .contains("&lt;script&gt;alert(")
        .doesNotContain("<script>")
        .contains("event: end")
        .contains("The run ended: Failure");
  }

  @Test
  void aRunningRunsLogStreamsEachNewLineThenItsEnd() throws Exception {
    Path log = Files.writeString(temp.resolve("live.log"), "step 1 starts\n");
    server.store.runs().started(run("run-2", log, "git/app"));
    HttpClient http = HttpClient.newHttpClient();
    try {
      HttpResponse<Stream<String>> stream = stream(http, "run-2", admin);
      assertThat(stream.statusCode()).isEqualTo(200);
      Iterator<String> lines = stream.body().iterator();
      assertThat(next(lines, "step 1 starts")).startsWith("data: ");
      // Half a line is held back until its end is written.
      Files.writeString(log, "step 2 ", StandardOpenOption.APPEND);
      Files.writeString(log, "<runs>\n", StandardOpenOption.APPEND);
      assertThat(next(lines, "step 2")).contains("step 2 &lt;runs&gt;");
      server.store.runs().finished("run-2", RunRecord.RunStatus.SUCCESS, Instant.now(), "{}");
      assertThat(next(lines, "event: end")).isEqualTo("event: end");
    } finally {
      http.shutdownNow();
    }
  }

  @Test
  void aRunLogStreamIsRefusedWithoutEventSourceForNoRunAndPastTheSessionsBound() throws Exception {
    assertThat(
            server.get("/ui/runs/nope/log/events", "Authorization", "Bearer " + admin).statusCode())
        .isEqualTo(406);
    HttpClient http = HttpClient.newHttpClient();
    try {
      assertThat(stream(http, "nope", admin).statusCode()).isEqualTo(404);
      Path log = Files.writeString(temp.resolve("bound.log"), "running\n");
      server.store.runs().started(run("run-3", log, "git/app"));
      for (int i = 0; i < RunsPage.STREAMS_PER_SESSION; i++) {
        assertThat(stream(http, "run-3", admin).statusCode()).isEqualTo(200);
      }
      HttpResponse<Stream<String>> oneTooMany = stream(http, "run-3", admin);
      assertThat(oneTooMany.statusCode()).isEqualTo(429);
    } finally {
      http.shutdownNow();
    }
  }

  @Test
  void theInboxShowsWhatARequestChangesAsTextAndSaysWhenNoPipelineCanDecideIt() {
    PromotionRecord request =
        server.store.promotions().create(draft("production", SCRIPT, List.of("release-manager")));

    HttpResponse<String> inbox =
        server.get(ApprovalsPage.INBOX, "Authorization", "Bearer " + admin);
    assertThat(inbox.statusCode()).isEqualTo(200);
    assertThat(inbox.body())
        .contains("#" + request.id() + " web to production")
        .contains("&lt;script&gt;")
        .doesNotContain(SCRIPT)
        .contains("runs no pipeline");

    HttpResponse<String> approve =
        server.post(
            "/ui/approvals/" + request.id() + "/approve", "", "Authorization", "Bearer " + admin);
    assertThat(approve.statusCode()).isEqualTo(503);
    assertThat(approve.body()).contains("role=\"alert\"").contains("no pipeline");
    assertThat(server.store.promotions().get(request.id()).orElseThrow().state())
        .isEqualTo(PromotionRecord.PromotionState.PENDING);

    // A viewer may not approve in production: the gate refuses before anything is decided.
    HttpResponse<String> denied =
        server.post(
            "/ui/approvals/" + request.id() + "/approve", "", "Authorization", "Bearer " + viewer);
    assertThat(denied.statusCode()).isEqualTo(403);
  }

  @Test
  void theAuditPageFiltersByWhoAndWhatAndShowsWhatWasWrittenAsText() {
    postForm("/ui/settings/tokens", form("name", "ci", "owner", "ada", "expires", "30d"), admin);
    postForm(
        "/ui/settings/users", form("name", "bob", "password", "short", "again", "short"), admin);

    HttpResponse<String> tokens =
        server.get(AuditPage.PATH + "?what=tokens", "Authorization", "Bearer " + admin);
    assertThat(tokens.statusCode()).isEqualTo(200);
    assertThat(tokens.body())
        .contains("POST /ui/settings/tokens")
        .contains("ada/ci")
        .doesNotContain("POST /ui/settings/users");
    HttpResponse<String> nobody =
        server.get(
            AuditPage.PATH + "?who=" + URLEncoder.encode(SCRIPT, StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + admin);
    assertThat(nobody.body())
        .contains("0 matching entries")
        .contains("value=\"&lt;script>alert(")
        .doesNotContain(SCRIPT);
    assertThat(server.get(AuditPage.PATH, "Authorization", "Bearer " + viewer).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aTokenMadeInSettingsIsShownOnceAndTheRulesOfTheCommandLineHold() {
    HttpResponse<String> created =
        postForm(
            SettingsPage.TOKENS,
            form("name", "deploy-bot", "owner", "ada", "expires", "never"),
            admin);
    assertThat(created.statusCode()).isEqualTo(200);
    String text = between(created.body(), "value=\"", "\"");
    assertThat(text).startsWith("tfa_");
    assertThat(created.body()).contains("shown this once");
    // It works, and the settings never show it again.
    assertThat(server.get(RunsPage.LIST, "Authorization", "Bearer " + text).statusCode())
        .isEqualTo(200);
    HttpResponse<String> settings =
        server.get(SettingsPage.PATH, "Authorization", "Bearer " + admin);
    assertThat(settings.body()).contains("deploy-bot").doesNotContain(text);

    HttpResponse<String> badName =
        postForm(
            SettingsPage.TOKENS,
            form("name", "role:admin", "owner", "ada", "expires", "30d"),
            admin);
    assertThat(badName.statusCode()).isEqualTo(422);
    assertThat(badName.body()).contains("role=\"alert\"").contains("not allowed");

    HttpResponse<String> shortPassword =
        postForm(
            SettingsPage.USERS, form("name", "bob", "password", "short", "again", "short"), admin);
    assertThat(shortPassword.statusCode()).isEqualTo(422);
    assertThat(shortPassword.body()).contains("shorter than 12 characters");

    // Settings are for admins only, and the navigation leaves them out for others.
    assertThat(server.get(SettingsPage.PATH, "Authorization", "Bearer " + viewer).statusCode())
        .isEqualTo(403);
    assertThat(server.get(RunsPage.LIST, "Authorization", "Bearer " + viewer).body())
        .doesNotContain("href=\"/ui/settings\"")
        .doesNotContain("href=\"/ui/audit\"")
        .contains("href=\"/ui/approvals\"");
    assertThat(server.get(RunsPage.LIST, "Authorization", "Bearer " + admin).body())
        .contains("href=\"/ui/settings\"")
        .contains("href=\"/ui/audit\"");
  }

  private HttpResponse<String> postForm(String path, String body, String bearer) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(server.url() + path))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Authorization", "Bearer " + bearer)
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError("request failed: " + e.getMessage(), e);
    }
  }

  private static RunRecord run(String id, Path log, String repository) {
    return new RunRecord(
        id,
        repository,
        ".github/workflows/release.yml",
        "refs/tags/v1.0.0",
        "0123456789abcdef0123456789abcdef01234567",
        "push",
        RunRecord.RunStatus.RUNNING,
        Instant.now(),
        Optional.empty(),
        log.toString(),
        Optional.empty());
  }

  private static PromotionDraft draft(String environment, String author, List<String> roles) {
    return new PromotionDraft(
        "http://127.0.0.1:1/git/env",
        environment,
        "web",
        "tag v1.2.3",
        "1.2.3",
        "0123456789abcdef0123456789abcdef01234567",
        Optional.of("registry.local/web"),
        Optional.empty(),
        Optional.of(author),
        List.of(new PromotionDraft.Change("image.tag", "1.2.3")),
        "main",
        "promote/" + environment + "/1.2.3",
        "89abcdef0123456789abcdef0123456789abcdef",
        2,
        roles);
  }

  private List<String> readToEnd(String run) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try {
      HttpResponse<Stream<String>> stream = stream(http, run, admin);
      assertThat(stream.statusCode()).isEqualTo(200);
      // The server ends the stream after the end event.
      return stream.body().toList();
    } finally {
      http.shutdownNow();
    }
  }

  private HttpResponse<Stream<String>> stream(HttpClient http, String run, String bearer)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url() + "/ui/runs/" + run + "/log/events"))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + bearer)
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }

  /** The next line of the stream that contains {@code part}. */
  private static String next(Iterator<String> lines, String part) {
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.contains(part)) {
        return line;
      }
    }
    throw new AssertionError("the stream ended before a line with " + part);
  }

  private static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      out.append(out.isEmpty() ? "" : "&")
          .append(pairs[i])
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as(text).isNotNegative();
    from += start.length();
    return text.substring(from, text.indexOf(end, from));
  }
}
