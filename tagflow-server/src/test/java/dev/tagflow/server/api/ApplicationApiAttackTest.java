package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.server.RawHttp;
import dev.tagflow.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The application routes and the OpenAPI document of a real server (without a controller: no
 * application exists), attacked as the admin: names that try to leave the path, long names, bodies
 * with unknown fields, wrong types, huge arrays, deep nesting and the wrong content type. Each is
 * refused with {@code {error, message, field?, fix}} and the right status, never a stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplicationApiAttackTest {

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
  void withoutAControllerTheListIsEmptyAndANameIsNotFound() throws Exception {
    HttpResponse<String> list = call("GET", "/api/v1/applications", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(PlainJson.MAPPER.readTree(list.body()).path("items").size()).isZero();
    JsonNode missing = ApiClient.refused(call("GET", "/api/v1/applications/web", null), 404);
    assertThat(missing.path("error").asText()).isEqualTo("not_found");
    assertThat(missing.path("field").asText()).isEqualTo("name");
    JsonNode noDiff = ApiClient.refused(call("GET", "/api/v1/applications/web/diff", null), 404);
    assertThat(noDiff.path("field").asText()).isEqualTo("name");
  }

  @Test
  void theDiffRefusesNamesThatLeaveThePathOrAreTooLong() throws Exception {
    for (String name :
        new String[] {
          "Web", "-web", "web_1", "w%20b", "%C3%A9", "a".repeat(254), "a".repeat(5000)
        }) {
      JsonNode body =
          ApiClient.refused(call("GET", "/api/v1/applications/" + name + "/diff", null), 400);
      assertThat(body.path("field").asText()).as(name).isEqualTo("name");
      assertThat(body.path("message").asText()).hasSizeLessThan(200);
    }
    for (String name : new String[] {"..%2F..%2Fetc%2Fpasswd", "%2E%2E", "web%00"}) {
      HttpResponse<String> answer = call("GET", "/api/v1/applications/" + name + "/diff", null);
      assertThat(answer.statusCode()).as(name + ": " + answer.body()).isEqualTo(400);
      assertThat(answer.body()).doesNotContain("root:", "\"objects\"");
    }
    RawHttp.Answer dots =
        new RawHttp(server.url())
            .get("/api/v1/applications/../../etc/passwd/diff", "Authorization: " + bearer);
    assertThat(dots.status()).as(dots.text()).isIn(400, 404);
    assertThat(dots.text()).doesNotContain("root:");
    // Without a token: 401 before the name is even read.
    assertThat(client.call("GET", "/api/v1/applications/web/diff", null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void namesThatLeaveThePathOrAreTooLongAreRefused() throws Exception {
    for (String name : new String[] {"Web", "-web", "web-", "web_1", "w%20b", "%C3%A9"}) {
      JsonNode body = ApiClient.refused(call("GET", "/api/v1/applications/" + name, null), 400);
      assertThat(body.path("field").asText()).as(name).isEqualTo("name");
    }
    // Encoded slashes, dots and NUL: the server refuses the path before any route (400), or the
    // route refuses the name; never an answer about another path.
    for (String name :
        new String[] {"..%2F..%2Fetc%2Fpasswd", "%2E%2E", "web%00", "%2e%2e%5csecrets"}) {
      HttpResponse<String> answer = call("GET", "/api/v1/applications/" + name, null);
      assertThat(answer.statusCode()).as(name + ": " + answer.body()).isEqualTo(400);
      assertThat(answer.body()).doesNotContain("root:", "\"items\"");
    }
    // Plain ../ sent as is: resolved or refused by the server, never a file nor another route.
    RawHttp.Answer dots =
        new RawHttp(server.url())
            .get("/api/v1/applications/../../../etc/passwd", "Authorization: " + bearer);
    assertThat(dots.status()).as(dots.text()).isIn(400, 404);
    assertThat(dots.text()).doesNotContain("root:");
    String longName = "a".repeat(5000);
    JsonNode tooLong =
        ApiClient.refused(call("GET", "/api/v1/applications/" + longName, null), 400);
    assertThat(tooLong.path("message").asText()).hasSizeLessThan(200);
    ApiClient.refused(call("GET", "/api/v1/applications/" + "a".repeat(254), null), 400);
  }

  @Test
  void bodiesWithUnknownFieldsWrongTypesHugeArraysOrDeepNestingAreRefusedNamingTheField()
      throws Exception {
    String sync = "/api/v1/applications/web/sync";
    JsonNode unknown =
        ApiClient.refused(call("POST", sync, "{\"prune\":true,\"force\":true}"), 400);
    assertThat(unknown.path("field").asText()).isEqualTo("force");
    assertThat(unknown.path("message").asText()).contains("unknown field 'force'");
    JsonNode wrongType = ApiClient.refused(call("POST", sync, "{\"prune\":\"yes\"}"), 400);
    assertThat(wrongType.path("field").asText()).isEqualTo("prune");
    assertThat(wrongType.path("message").asText()).contains("not true or false");
    JsonNode huge =
        ApiClient.refused(call("POST", sync, "{\"prune\":[" + "1,".repeat(100_000) + "1]}"), 400);
    assertThat(huge.path("field").asText()).isEqualTo("prune");
    JsonNode deep =
        ApiClient.refused(
            call("POST", sync, "{\"prune\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), 400);
    assertThat(deep.path("message").asText()).contains("nested deeper");
    JsonNode array = ApiClient.refused(call("POST", sync, "[1,2,3]"), 400);
    assertThat(array.path("message").asText()).contains("not an object");
    JsonNode broken = ApiClient.refused(call("POST", sync, "{\"prune\":"), 400);
    assertThat(broken.path("message").asText()).contains("not valid JSON");
    JsonNode twice = ApiClient.refused(call("POST", sync, "{\"prune\":true,\"prune\":false}"), 400);
    assertThat(twice.path("message").asText()).contains("not valid JSON");
    JsonNode dryRun = ApiClient.refused(call("POST", sync, "{\"dryRun\":true}"), 400);
    assertThat(dryRun.path("field").asText()).isEqualTo("dryRun");
    String rollback = "/api/v1/applications/web/rollback";
    assertThat(ApiClient.refused(call("POST", rollback, "{}"), 400).path("field").asText())
        .isEqualTo("id");
    assertThat(
            ApiClient.refused(call("POST", rollback, "{\"id\":\"3\"}"), 400).path("field").asText())
        .isEqualTo("id");
    assertThat(ApiClient.refused(call("POST", rollback, "{\"id\":-1}"), 400).path("field").asText())
        .isEqualTo("id");
    assertThat(
            ApiClient.refused(call("POST", rollback, "{\"id\":1e400}"), 400).path("field").asText())
        .isEqualTo("id");
    // A valid body for an application that does not exist.
    ApiClient.refused(call("POST", rollback, "{\"id\":1}"), 404);
    ApiClient.refused(call("POST", sync, "{\"prune\":false}"), 404);
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedAs415() throws Exception {
    RawHttp.Answer answer =
        new RawHttp(server.url())
            .post(
                "/api/v1/applications/web/sync",
                "prune=true".getBytes(StandardCharsets.UTF_8),
                "Content-Type: application/x-www-form-urlencoded",
                "Authorization: " + bearer);
    assertThat(answer.status()).as(answer.text()).isEqualTo(415);
    assertThat(answer.text()).contains("\"error\":\"unsupported_media_type\"");
  }

  @Test
  void theListRefusesABadLimit() throws Exception {
    assertThat(
            ApiClient.refused(call("GET", "/api/v1/applications?limit=0", null), 400)
                .path("field")
                .asText())
        .isEqualTo("limit");
    ApiClient.refused(call("GET", "/api/v1/applications?limit=100000", null), 400);
    ApiClient.refused(call("GET", "/api/v1/applications?limit=abc", null), 400);
  }

  @Test
  void theOpenApiDocumentHasEveryRouteOfTheTableAndNothingElse() throws Exception {
    // Public: read without a token.
    HttpResponse<String> answer = client.call("GET", OpenApiDocument.PATH, null);
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode doc = PlainJson.MAPPER.readTree(answer.body());
    assertThat(doc.path("openapi").asText()).startsWith("3.1.");
    assertThat(doc.path("info").path("title").asText()).isNotBlank();
    assertThat(doc.path("info").path("version").asText()).isNotBlank();
    assertThat(doc.path("components").path("securitySchemes").has("bearer")).isTrue();
    assertThat(doc.path("components").path("securitySchemes").path("session").path("in").asText())
        .isEqualTo("cookie");
    Set<String> documented = new HashSet<>();
    for (Iterator<String> paths = doc.path("paths").propertyNames().iterator(); paths.hasNext(); ) {
      String path = paths.next();
      for (Iterator<String> methods = doc.path("paths").path(path).propertyNames().iterator();
          methods.hasNext(); ) {
        String method = methods.next();
        JsonNode operation = doc.path("paths").path(path).path(method);
        assertThat(operation.path("responses").size()).as(path).isPositive();
        assertThat(operation.path("operationId").asText()).isNotBlank();
        documented.add(method.toUpperCase() + " " + path);
      }
    }
    Set<String> routes = new HashSet<>();
    for (Route route : server.daemon.server().routes().routes()) {
      // Every API route; the web UI's pages (/ui) are in the table but not in the API's document.
      if (route.path().startsWith("/api/")) {
        routes.add(route.key());
      }
    }
    assertThat(documented).isEqualTo(routes);
    JsonNode sync = doc.path("paths").path("/api/v1/applications/{name}/sync").path("post");
    assertThat(sync.path("x-tagflow-permission").asText()).isEqualTo("applications/sync");
    JsonNode diff = doc.path("paths").path("/api/v1/applications/{name}/diff").path("get");
    assertThat(diff.path("x-tagflow-permission").asText()).isEqualTo("applications/get");
    assertThat(
            diff.path("responses")
                .path("200")
                .path("content")
                .path("application/json")
                .path("schema")
                .path("required")
                .toString())
        .contains("differs", "objects");
    assertThat(sync.path("parameters").get(0).path("name").asText()).isEqualTo("name");
    assertThat(
            sync.path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema")
                .path("additionalProperties")
                .asBoolean(true))
        .isFalse();
    assertThat(sync.path("responses").has("202")).isTrue();
  }
}
