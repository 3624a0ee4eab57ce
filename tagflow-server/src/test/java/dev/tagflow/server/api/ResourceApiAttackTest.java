package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The runs, promotions, secrets, tokens, users and repositories routes of a real server (without a
 * pipeline or a controller), attacked as the admin: ids that try to leave the path, huge and deeply
 * nested bodies, unknown fields, wrong types, values over their limits. Each is refused with {@code
 * {error, message, field?, fix}} and the right status, never a stack trace; and tokens, users and
 * secrets do what their verbs say, a secret's value and a password in no answer or audit line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceApiAttackTest {

  @TempDir static Path temp;
  TestServer server;
  ApiClient client;
  String bearer;

  @BeforeAll
  void start() {
    server = TestServer.start(temp.resolve("data"));
    client = new ApiClient(server.url());
    bearer =
        "Bearer "
            + server.daemon.access().tokens().create("attack", "admin", Optional.empty()).text();
  }

  @AfterAll
  void stop() {
    client.close();
    server.close();
  }

  private HttpResponse<String> call(String method, String path, String body) {
    return client.call(method, path, body, "Authorization", bearer);
  }

  @Test
  void idsThatTryToLeaveThePathAreRefusedOrNotFoundNeverServed() throws Exception {
    for (String id :
        new String[] {
          "..", ".hidden", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%00b", "x".repeat(300), "%C3%A9"
        }) {
      for (String path :
          new String[] {
            "/api/v1/runs/" + id, "/api/v1/runs/" + id + "/logs", "/api/v1/tokens/" + id
          }) {
        String method = path.startsWith("/api/v1/tokens") ? "DELETE" : "GET";
        if (method.equals("DELETE") && id.contains("%00")) {
          // Jetty answers a NUL in a path with 400 and closes the connection; the JDK's client
          // retries only a GET on a closed connection, so the NUL is tried with GETs above.
          continue;
        }
        HttpResponse<String> answer = call(method, path, null);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isIn(400, 404);
        assertThat(answer.body()).doesNotContain("root:", "at dev.tagflow", "Exception");
      }
    }
    JsonNode body = ApiClient.refused(call("GET", "/api/v1/runs/.hidden", null), 400);
    assertThat(body.path("field").asText()).isEqualTo("id");
    assertThat(
            ApiClient.refused(call("GET", "/api/v1/runs/nosuchrun", null), 404)
                .path("error")
                .asText())
        .isEqualTo("not_found");
    for (String id : new String[] {"-1", "1e3", "abc", "9".repeat(30)}) {
      JsonNode promotion = ApiClient.refused(call("GET", "/api/v1/promotions/" + id, null), 400);
      assertThat(promotion.path("field").asText()).isEqualTo("id");
    }
    ApiClient.refused(call("GET", "/api/v1/promotions/424242", null), 404);
    ApiClient.refused(call("GET", "/api/v1/repositories/git/..", null), 400);
    ApiClient.refused(call("GET", "/api/v1/repositories/git/none", null), 404);
    JsonNode kind =
        ApiClient.refused(call("PUT", "/api/v1/secrets/user/shop/X", "{\"value\":\"v\"}"), 400);
    assertThat(kind.path("field").asText()).isEqualTo("kind");
    JsonNode scope =
        ApiClient.refused(call("PUT", "/api/v1/secrets/project/..x/X", "{\"value\":\"v\"}"), 400);
    assertThat(scope.path("field").asText()).isEqualTo("scope");
    ApiClient.refused(
        call("PUT", "/api/v1/secrets/project/shop/not-a-name", "{\"value\":\"v\"}"), 400);
    ApiClient.refused(call("DELETE", "/api/v1/users/..", null), 400);
    ApiClient.refused(call("GET", "/api/v1/runs?limit=0", null), 400);
    ApiClient.refused(call("GET", "/api/v1/runs?status=exploded", null), 400);
    ApiClient.refused(call("GET", "/api/v1/promotions?state=weird", null), 400);
  }

  @Test
  void bodiesThatAreHugeDeepUnknownOrOfTheWrongTypeAreRefusedNamingTheField() throws Exception {
    // Over the server's 1 MiB limit: refused before it is read whole.
    String huge = "{\"value\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    HttpResponse<String> tooBig = call("PUT", "/api/v1/secrets/project/shop/BIG", huge);
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(tooBig.body()).doesNotContain("xxxxxxxxxx");
    // Under the server's limit but over a secret's (48 KiB): refused, the value not echoed.
    String large = "{\"value\":\"" + "y".repeat(100 * 1024) + "\"}";
    JsonNode overSecret =
        ApiClient.refused(call("PUT", "/api/v1/secrets/project/shop/BIG", large), 400);
    assertThat(overSecret.path("field").asText()).isEqualTo("value");
    assertThat(overSecret.toString()).doesNotContain("yyyyyyyyyy");
    String deep = "{\"inputs\":" + "{\"a\":".repeat(50) + "1" + "}".repeat(50) + "}";
    ApiClient.refused(call("POST", "/api/v1/runs", deep), 400);
    String inputs =
        "{\"repository\":\"git/app\",\"workflow\":\"r.yml\",\"ref\":\"v1\",\"inputs\":{\"a\":[1]}}";
    assertThat(ApiClient.refused(call("POST", "/api/v1/runs", inputs), 400).path("field").asText())
        .isEqualTo("inputs.a");
    assertThat(
            ApiClient.refused(
                    call("POST", "/api/v1/runs", "{\"repository\":\"git/app\",\"extra\":1}"), 400)
                .path("field")
                .asText())
        .isEqualTo("extra");
    assertThat(
            ApiClient.refused(call("POST", "/api/v1/runs", "{\"repository\":7}"), 400)
                .path("field")
                .asText())
        .isEqualTo("repository");
    assertThat(ApiClient.refused(call("POST", "/api/v1/runs", "{}"), 400).path("field").asText())
        .isEqualTo("repository");
    ApiClient.refused(call("POST", "/api/v1/runs", "[1,2]"), 400);
    ApiClient.refused(call("POST", "/api/v1/runs", "not json"), 400);
    HttpResponse<String> text =
        client.call(
            "POST", "/api/v1/tokens", null, "Authorization", bearer, "Content-Type", "text/plain");
    assertThat(text.statusCode()).isIn(400, 415);
    assertThat(
            ApiClient.refused(
                    call(
                        "POST",
                        "/api/v1/tokens",
                        "{\"name\":\"a\",\"owner\":\"b\",\"admin\":true}"),
                    400)
                .path("field")
                .asText())
        .isEqualTo("admin");
    ApiClient.refused(
        call("POST", "/api/v1/tokens", "{\"name\":\"a\",\"owner\":\"b\",\"expires\":\"9999d\"}"),
        400);
    ApiClient.refused(call("POST", "/api/v1/tokens", "{\"name\":\"../a\",\"owner\":\"b\"}"), 400);
    ApiClient.refused(
        call("POST", "/api/v1/users", "{\"name\":\"u\",\"password\":\"short\"}"), 400);
    ApiClient.refused(
        call("POST", "/api/v1/users", "{\"name\":\"u\",\"password\":12345678901234}"), 400);
    ApiClient.refused(
        call("POST", "/api/v1/promotions/1/reject", "{\"reason\":\"r\",\"more\":1}"), 400);
    ApiClient.refused(
        call("POST", "/api/v1/promotions/1/reject", "{\"reason\":\"" + "r".repeat(2000) + "\"}"),
        400);
    ApiClient.refused(call("POST", "/api/v1/runs/x/rerun", "{\"force\":\"yes\"}"), 400);
    // Without the release pipeline, the verbs say so rather than pretend.
    JsonNode noPipeline =
        ApiClient.refused(
            call(
                "POST",
                "/api/v1/runs",
                "{\"repository\":\"git/app\",\"workflow\":\"r.yml\",\"ref\":\"v1\"}"),
            503);
    assertThat(noPipeline.path("error").asText()).isEqualTo("unavailable");
  }

  @Test
  void aSecretIsSetListedByNameAndDeletedItsValueNeverShown() throws Exception {
    String value = "hunter2-" + System.nanoTime();
    HttpResponse<String> set =
        call("PUT", "/api/v1/secrets/project/shop/db_password", "{\"value\":\"" + value + "\"}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(PlainJson.MAPPER.readTree(set.body()).path("name").asText())
        .isEqualTo("DB_PASSWORD");
    HttpResponse<String> list = call("GET", "/api/v1/secrets?project=shop", null);
    assertThat(PlainJson.MAPPER.readTree(list.body()).path("items").get(0).path("name").asText())
        .isEqualTo("DB_PASSWORD");
    assertThat(PlainJson.MAPPER.readTree(list.body()).path("items").get(0).path("project").asText())
        .isEqualTo("shop");
    ApiClient.refused(call("GET", "/api/v1/secrets?project=shop&repository=app", null), 400);
    HttpResponse<String> deleted = call("DELETE", "/api/v1/secrets/project/shop/DB_PASSWORD", null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    ApiClient.refused(call("DELETE", "/api/v1/secrets/project/shop/DB_PASSWORD", null), 404);
    for (HttpResponse<String> answer : java.util.List.of(set, list, deleted)) {
      assertThat(answer.body()).doesNotContain(value);
    }
    assertThat(server.daemon.access().audit().since(Instant.EPOCH, 10_000).toString())
        .contains("PUT /api/v1/secrets/{kind}/{scope}/{name}")
        .doesNotContain(value);
  }

  @Test
  void tokensAndUsersAreManagedAsTheirCommandsDo() throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"ci\",\"owner\":\"carol\",\"expires\":\"never\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String token = PlainJson.MAPPER.readTree(created.body()).path("token").asText();
    assertThat(token).startsWith("tfa_");
    assertThat(PlainJson.MAPPER.readTree(created.body()).path("expiresAt").isNull()).isTrue();
    ApiClient.refused(call("POST", "/api/v1/tokens", "{\"name\":\"ci\",\"owner\":\"carol\"}"), 400);
    HttpResponse<String> tokens = call("GET", "/api/v1/tokens", null);
    assertThat(tokens.body()).contains("\"ci\"").doesNotContain(token);
    HttpResponse<String> me =
        client.call("GET", "/api/v1/session", null, "Authorization", "Bearer " + token);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(call("DELETE", "/api/v1/tokens/ci", null).statusCode()).isEqualTo(200);
    assertThat(
            client
                .call("GET", "/api/v1/session", null, "Authorization", "Bearer " + token)
                .statusCode())
        .isEqualTo(401);

    String password = "correct horse battery staple";
    HttpResponse<String> added =
        call("POST", "/api/v1/users", "{\"name\":\"uma\",\"password\":\"" + password + "\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    ApiClient.refused(
        call("POST", "/api/v1/users", "{\"name\":\"uma\",\"password\":\"" + password + "\"}"), 400);
    assertThat(call("GET", "/api/v1/users", null).body())
        .contains("\"uma\"")
        .doesNotContain(password);
    String login = "{\"username\":\"uma\",\"password\":\"%s\"}";
    assertThat(client.call("POST", "/api/v1/session", login.formatted(password)).statusCode())
        .isEqualTo(201);
    String newer = "a newer password of uma";
    HttpResponse<String> changed =
        call("PUT", "/api/v1/users/uma/password", "{\"password\":\"" + newer + "\"}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(client.call("POST", "/api/v1/session", login.formatted(password)).statusCode())
        .isEqualTo(401);
    assertThat(client.call("POST", "/api/v1/session", login.formatted(newer)).statusCode())
        .isEqualTo(201);
    ApiClient.refused(
        call("PUT", "/api/v1/users/nobody/password", "{\"password\":\"" + newer + "\"}"), 404);
    assertThat(call("DELETE", "/api/v1/users/uma", null).statusCode()).isEqualTo(200);
    ApiClient.refused(call("DELETE", "/api/v1/users/uma", null), 404);
    assertThat(server.daemon.access().audit().since(Instant.EPOCH, 10_000).toString())
        .contains("DELETE /api/v1/users/{user}")
        .doesNotContain(password)
        .doesNotContain(newer)
        .doesNotContain(token);
  }

  @Test
  void theNewRoutesAreInTheOpenApiDocumentWithTheirPermissionsAndClosedBodies() throws Exception {
    JsonNode doc = PlainJson.MAPPER.readTree(call("GET", OpenApiDocument.PATH, null).body());
    JsonNode set = doc.path("paths").path("/api/v1/secrets/{kind}/{scope}/{name}").path("put");
    assertThat(set.path("x-tagflow-permission").asText()).isEqualTo("secrets/set");
    JsonNode schema =
        set.path("requestBody").path("content").path("application/json").path("schema");
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(schema.path("required").toString()).contains("value");
    assertThat(
            doc.path("paths")
                .path("/api/v1/runs")
                .path("post")
                .path("x-tagflow-permission")
                .asText())
        .isEqualTo("runs/dispatch");
    assertThat(
            doc.path("paths")
                .path("/api/v1/promotions/{id}/approve")
                .path("post")
                .path("x-tagflow-permission")
                .asText())
        .isEqualTo("promotions/approve");
    assertThat(
            doc.path("paths").path("/api/v1/runs/{id}/logs").path("get").path("summary").asText())
        .contains("text/event-stream");
    assertThat(doc.path("paths").path("/api/v1/tokens").path("post").path("responses").has("201"))
        .isTrue();
  }
}
