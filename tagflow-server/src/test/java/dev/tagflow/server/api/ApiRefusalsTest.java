package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.server.RawHttp;
import dev.tagflow.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What {@code OpenApiConformanceTest} found, each kept as a test of its own: refusals made by
 * Javalin or Jetty before any route runs answer JSON {@code {error, message, fix}} under {@code
 * /api/}, as the routes' own refusals do; and the document declares the statuses the routes answer
 * (a logout's 204 without a body, the login's 401 and 429, a change's 409, 413 and 415, and any
 * request's 414).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRefusalsTest {

  @TempDir static Path temp;
  TestServer server;
  ApiClient client;
  RawHttp raw;
  String bearer;

  @BeforeAll
  void start() {
    server = TestServer.start(temp.resolve("data"));
    client = new ApiClient(server.url());
    raw = new RawHttp(server.url());
    bearer =
        "Bearer "
            + server.daemon.access().tokens().create("refusals", "admin", Optional.empty()).text();
  }

  @AfterAll
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aPathNoRouteTakesIsAJsonNotFound() throws Exception {
    // An empty name: the path matches no route at all, so Javalin answered "Not Found" as text.
    HttpResponse<String> answer =
        client.call("GET", "/api/v1/applications//history", null, "Authorization", bearer);
    JsonNode body = ApiClient.refused(answer, 404);
    assertThat(body.path("error").asText()).isEqualTo("not_found");
    assertThat(answer.headers().firstValue("Content-Type")).get().asString().contains("json");
  }

  @Test
  void aBodyOverTheLimitIsAJsonRefusal() throws Exception {
    String huge = "{\"value\":\"" + "h".repeat(2 << 20) + "\"}";
    HttpResponse<String> answer =
        client.call("PUT", "/api/v1/secrets/project/shop/BIG", huge, "Authorization", bearer);
    JsonNode body = ApiClient.refused(answer, 413);
    assertThat(body.path("error").asText()).isEqualTo("body_too_large");
  }

  @Test
  void aPathThatIsNotUtf8OrAUriTooLongIsAJsonRefusal() throws Exception {
    RawHttp.Answer overlong =
        raw.post(
            "/api/v1/promotions/%C0%AF/reject",
            "{}".getBytes(StandardCharsets.UTF_8),
            "Authorization: " + bearer,
            "Content-Type: application/json");
    assertThat(overlong.status()).as(overlong.text()).isEqualTo(400);
    assertJsonRefusal(overlong);
    for (String path :
        new String[] {"/api/v1/tokens/%C0%AF", "/api/v1/users/%FF", "/api/v1/tokens/%00"}) {
      // A DELETE got no body at all; a NUL got the servlet context's HTML page.
      RawHttp.Answer delete =
          raw.send("DELETE " + path + " HTTP/1.1\r\nAuthorization: " + bearer, new byte[0]);
      assertThat(delete.status()).as(path + ": " + delete.text()).isEqualTo(400);
      assertJsonRefusal(delete);
    }
    RawHttp.Answer nul = raw.get("/api/v1/applications/%00/history", "Authorization: " + bearer);
    assertThat(nul.status()).as(nul.text()).isEqualTo(400);
    assertJsonRefusal(nul);
    // Jetty closes the connection after it: the answer says so, or a client sends its next
    // request on a closed connection and gets no answer at all.
    assertThat(nul.text().toLowerCase()).contains("connection: close");
    RawHttp.Answer tooLong =
        raw.get("/api/v1/runs/7/logs?follow=" + "x".repeat(20_000), "Authorization: " + bearer);
    assertThat(tooLong.status()).as(tooLong.text()).isEqualTo(414);
    assertJsonRefusal(tooLong);
  }

  @Test
  void theWebUiKeepsItsOwnPagesForTheseRefusals() {
    // A path Jetty can parse keeps Jetty's page (one it cannot, such as /ui/%00, has no path left
    // to tell by and answers JSON like the API).
    RawHttp.Answer page = raw.get("/ui/%C0%AF");
    assertThat(page.status()).isEqualTo(400);
    assertThat(page.text()).contains("text/html").doesNotContain("\"error\"");
  }

  @Test
  void theDocumentDeclaresWhatTheRoutesAnswer() throws Exception {
    JsonNode paths =
        PlainJson.MAPPER
            .readTree(client.call("GET", OpenApiDocument.PATH, null).body())
            .path("paths");
    JsonNode logout = paths.path("/api/v1/session").path("delete").path("responses");
    assertThat(logout.has("204")).isTrue();
    assertThat(logout.path("204").has("content")).as("a 204 has no body").isFalse();
    assertThat(logout.has("200")).isFalse();
    JsonNode login = paths.path("/api/v1/session").path("post");
    assertThat(login.path("responses").has("201")).isTrue();
    assertThat(login.path("responses").has("401")).isTrue();
    assertThat(login.path("responses").has("429")).isTrue();
    assertThat(
            login
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema")
                .path("additionalProperties")
                .asBoolean(true))
        .isFalse();
    JsonNode put = paths.path("/api/v1/secrets/{kind}/{scope}/{name}").path("put");
    for (String status : new String[] {"409", "413", "415"}) {
      assertThat(put.path("responses").has(status)).as(status).isTrue();
    }
    JsonNode read = paths.path("/api/v1/tokens").path("get").path("responses");
    assertThat(read.has("415")).as("a read takes no body").isFalse();
    assertThat(read.has("414")).as("any request can be too long").isTrue();
  }

  private void assertJsonRefusal(RawHttp.Answer answer) throws Exception {
    String text = answer.text();
    assertThat(text.toLowerCase()).contains("content-type: application/json");
    JsonNode body = PlainJson.MAPPER.readTree(text.substring(text.indexOf("\r\n\r\n") + 4));
    assertThat(body.path("error").asText()).isNotBlank();
    assertThat(body.path("message").asText()).isNotBlank();
    assertThat(text).doesNotContain("<html", "Exception");
  }
}
