package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.TestServer;
import dev.tagflow.server.auth.Sessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI over HTTP on a real server (without a controller: its board is empty): pages only with
 * a session, every asset on the server itself, the CSP, and the bounds of the live stream.
 */
class UiRoutesTest {

  @TempDir Path temp;
  TestServer server;
  String token;

  @BeforeEach
  void start() {
    server = TestServer.start(temp.resolve("data"));
    server.daemon.access().users().add("ada", "correct horse battery");
    token = server.daemon.access().tokens().create("ui-test", "ada", Optional.empty()).text();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyAssetOfTheLoginPageAndTheBoardIsOnTheServerItselfUnderACsp() {
    HttpResponse<String> login = server.get(UiRoutes.LOGIN);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().firstValue("Content-Security-Policy"))
        .contains(UiRoutes.CSP)
        .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
    HttpResponse<String> board = server.get(UiRoutes.BOARD, "Authorization", "Bearer " + token);
    assertThat(board.statusCode()).isEqualTo(200);
    assertThat(board.body()).contains("Board").contains("runs no controller");
    List<String> urls = new ArrayList<>();
    for (String page : List.of(login.body(), board.body())) {
      Matcher m = Pattern.compile("(?:src|href|sse-connect|hx-delete)=\"([^\"]*)\"").matcher(page);
      while (m.find()) {
        urls.add(m.group(1));
      }
    }
    assertThat(urls).contains("/ui/assets/htmx.min.js", "/ui/assets/htmx-ext-sse.js");
    // No other host: every URL is a path of this server (or a fragment of the page).
    assertThat(urls).allSatisfy(url -> assertThat(url).matches("^(/[^/].*|#.*)$"));
    for (String asset : urls.stream().filter(u -> u.startsWith("/ui/assets/")).toList()) {
      HttpResponse<String> answer = server.get(asset);
      assertThat(answer.statusCode()).as(asset).isEqualTo(200);
      assertThat(answer.body()).as(asset).isNotBlank();
    }
    assertThat(server.get("/ui/assets/htmx.min.js").body()).contains("htmx");
  }

  @Test
  void theServersAddressLeadsToTheBoardAndAnUnknownApplicationIsAPage() {
    HttpResponse<String> root = server.get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue(UiRoutes.BOARD);
    // ada holds no role: a page that names the permission she lacks, not the API's JSON.
    HttpResponse<String> denied =
        server.get("/ui/applications/web-dev", "Authorization", "Bearer " + token);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(denied.body())
        .contains("may not applications/get on -/-/web-dev")
        .contains("ask an admin for a role that grants applications/get");
    // Without a controller there is no application: for an admin, a page that says so.
    String admin =
        server.daemon.access().tokens().create("ui-admin", "admin", Optional.empty()).text();
    HttpResponse<String> missing =
        server.get("/ui/applications/web-dev", "Authorization", "Bearer " + admin);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(missing.headers().firstValue("Content-Security-Policy")).contains(UiRoutes.CSP);
    assertThat(missing.body()).contains("there is no application 'web-dev'");
  }

  @Test
  void withoutASessionTheBoardSendsToTheLoginAndASessionPageCarriesItsCsrfToken() {
    HttpResponse<String> anonymous = server.get(UiRoutes.BOARD);
    assertThat(anonymous.statusCode()).isEqualTo(303);
    assertThat(anonymous.headers().firstValue("Location")).contains(UiRoutes.LOGIN);
    // A forged cookie is no session either.
    assertThat(server.get(UiRoutes.BOARD, "Cookie", Sessions.COOKIE + "=forged").statusCode())
        .isEqualTo(303);

    HttpResponse<String> login =
        server.post(
            "/api/v1/session", "{\"username\":\"ada\",\"password\":\"correct horse battery\"}");
    assertThat(login.statusCode()).isEqualTo(201);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    String csrf = login.body().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
    HttpResponse<String> board = server.get(UiRoutes.BOARD, "Cookie", cookie);
    assertThat(board.statusCode()).isEqualTo(200);
    assertThat(board.body())
        .contains("hx-headers='{\"X-CSRF-Token\": \"" + csrf + "\"}'")
        .contains("Signed in as <strong>ada</strong>");
  }

  @Test
  void theStreamWantsAnEventSourceIsBoundedPerSessionAndClosedWhenTheServerStops()
      throws Exception {
    assertThat(server.get(UiRoutes.EVENTS).statusCode()).isEqualTo(401);
    assertThat(server.get(UiRoutes.EVENTS, "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(406);
    HttpClient http = HttpClient.newHttpClient();
    List<HttpResponse<Stream<String>>> open = new ArrayList<>();
    try {
      for (int i = 0; i < UiRoutes.STREAMS_PER_SESSION; i++) {
        HttpResponse<Stream<String>> stream = stream(http, token);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        open.add(stream);
      }
      HttpResponse<Stream<String>> oneTooMany = stream(http, token);
      assertThat(oneTooMany.statusCode()).isEqualTo(429);
      assertThat(oneTooMany.body().findFirst())
          .hasValueSatisfying(
              line -> assertThat(line).contains("at most " + UiRoutes.STREAMS_PER_SESSION));

      // Stopping the server ends every stream: each body reaches its end.
      CompletableFuture<?> ended =
          CompletableFuture.allOf(
              open.stream()
                  .map(s -> CompletableFuture.runAsync(() -> s.body().forEach(line -> {})))
                  .toArray(CompletableFuture[]::new));
      server.close();
      ended.get(30, TimeUnit.SECONDS);
    } finally {
      // Not close(): it would wait for a stream a failed assertion left open.
      http.shutdownNow();
      server = TestServer.start(temp.resolve("data2"));
    }
  }

  private HttpResponse<Stream<String>> stream(HttpClient http, String bearer) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url() + UiRoutes.EVENTS))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + bearer)
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }
}
