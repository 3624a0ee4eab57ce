package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.server.TestServer;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.store.AuditEntry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST} and {@code DELETE /api/v1/repositories} on a real server and SQLite store (without a
 * controller: the refusal to remove a repository an application reads is in {@code
 * RepositoryApiIT}): every field checked and named, credentials never echoed, a secret that is not
 * set or not the caller's refused, the repository kept across a restart, and every change audited.
 */
class RepositoryApiTest {

  private static final String SECRET_VALUE = "ghp_secretvalue_never_shown_1234";

  @TempDir Path temp;
  TestServer server;
  ApiClient client;
  String admin;
  String adder;

  @BeforeEach
  void start() {
    startServer();
    admin = token("repo-admin", "admin");
    adder = token("repo-adder", "carol");
  }

  private void startServer() {
    // carol may add and remove repositories, but set no secret.
    server =
        TestServer.withAccess(
            temp.resolve("data"),
            Authorizer.withConfigured(
                "test",
                """
                p, role:repo-adder, repositories, create, *, allow
                p, role:repo-adder, repositories, delete, *, allow
                p, role:repo-adder, repositories, get, *, allow
                g, carol, role:repo-adder
                """),
            TestServer.TEST_ACCESS);
    client = new ApiClient(server.url());
  }

  private String token(String name, String owner) {
    return "Bearer " + server.daemon.access().tokens().create(name, owner, Optional.empty()).text();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private HttpResponse<String> call(String method, String path, String body, String bearer) {
    return client.call(method, path, body, "Authorization", bearer);
  }

  private HttpResponse<String> add(String body, String bearer) {
    return call("POST", RepositoryRoutes.PATH, body, bearer);
  }

  private void setSecret() {
    HttpResponse<String> set =
        call(
            "PUT",
            "/api/v1/secrets/project/shop/GIT_TOKEN",
            "{\"value\":\"" + SECRET_VALUE + "\"}",
            admin);
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
  }

  @Test
  void anAddedRepositoryIsListedWithItsSecretsNameAndKeptAcrossARestart() throws Exception {
    setSecret();
    HttpResponse<String> added =
        add(
            "{\"url\":\"https://git.example/acme/web.git\",\"username\":\"bot\","
                + "\"passwordSecret\":\"project/shop/git_token\"}",
            admin);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    JsonNode body = PlainJson.MAPPER.readTree(added.body());
    assertThat(body.path("name").asText()).isEqualTo("acme/web");
    assertThat(body.path("source").asText()).isEqualTo("api");
    assertThat(body.path("username").asText()).isEqualTo("bot");
    assertThat(body.path("passwordSecret").asText()).isEqualTo("project/shop/GIT_TOKEN");
    assertThat(body.path("addedBy").asText()).isEqualTo("admin (token repo-admin)");

    client.close();
    server.close();
    startServer();

    JsonNode listed =
        PlainJson.MAPPER.readTree(call("GET", RepositoryRoutes.PATH, null, admin).body());
    assertThat(listed.path("items").findValuesAsString("name")).contains("acme/web");
    JsonNode one =
        PlainJson.MAPPER.readTree(
            call("GET", RepositoryRoutes.PATH + "/acme/web", null, admin).body());
    assertThat(one.path("url").asText()).isEqualTo("https://git.example/acme/web.git");
    assertThat(one.path("passwordSecret").asText()).isEqualTo("project/shop/GIT_TOKEN");
    String everything = listed + one.toString();
    assertThat(everything).doesNotContain(SECRET_VALUE);

    HttpResponse<String> removed = call("DELETE", RepositoryRoutes.PATH + "/acme/web", null, admin);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    ApiClient.refused(call("GET", RepositoryRoutes.PATH + "/acme/web", null, admin), 404);
    ApiClient.refused(call("DELETE", RepositoryRoutes.PATH + "/acme/web", null, admin), 404);

    List<AuditEntry> audit = server.daemon.access().audit().since(Instant.EPOCH, 100);
    assertThat(audit)
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("DELETE /api/v1/repositories/{owner}/{name}");
              assertThat(e.object()).isEqualTo("acme/web");
              assertThat(e.result()).startsWith("200");
            });
    assertThat(audit.toString()).doesNotContain(SECRET_VALUE);
  }

  @Test
  void eachWrongFieldIsNamedAndACredentialInTheUrlIsNeverEchoed() throws Exception {
    record Case(String body, String field) {}
    for (Case bad :
        List.of(
            new Case("{}", "url"),
            new Case("{\"url\":7}", "url"),
            new Case("{\"url\":\"\"}", "url"),
            new Case("{\"url\":\"https://bob:hunter2secret@git.example/acme/web.git\"}", "url"),
            new Case("{\"url\":\"https://hunter2secret@git.example/acme/web.git\"}", "url"),
            new Case("{\"url\":\"file:///etc/acme/web\"}", "url"),
            new Case("{\"url\":\"/srv/git/acme/web\"}", "url"),
            new Case("{\"url\":\"git@git.example:acme/web.git\"}", "url"),
            new Case("{\"url\":\"https://git.example/\"}", "url"),
            new Case("{\"url\":\"https://git.example/acme/web.git?x=1\"}", "url"),
            new Case("{\"url\":\"https://git.example/" + "a".repeat(3000) + "\"}", "url"),
            new Case("{\"url\":\"https://git.example/acme/w%20b\"}", "url"),
            new Case("{\"url\":\"https://git.example/a/b\",\"token\":\"x\"}", "token"),
            new Case("{\"url\":\"https://git.example/a/b\",\"username\":\"bot\"}", "username"),
            new Case(
                "{\"url\":\"https://git.example/a/b\",\"username\":\"a:b\","
                    + "\"passwordSecret\":\"project/shop/X\"}",
                "username"),
            new Case(
                "{\"url\":\"https://git.example/a/b\",\"passwordSecret\":\"GIT_TOKEN\"}",
                "passwordSecret"),
            new Case(
                "{\"url\":\"https://git.example/a/b\",\"passwordSecret\":\"cluster/x/GIT_TOKEN\"}",
                "passwordSecret"),
            new Case(
                "{\"url\":\"https://git.example/a/b\",\"passwordSecret\":\"project/shop/1BAD\"}",
                "passwordSecret"),
            new Case(
                "{\"url\":\"https://git.example/a/b\",\"passwordSecret\":\"project/shop/UNSET\"}",
                "passwordSecret"))) {
      HttpResponse<String> answer = add(bad.body(), admin);
      JsonNode body = ApiClient.refused(answer, 400);
      assertThat(body.path("field").asText()).as(bad.body()).isEqualTo(bad.field());
      assertThat(answer.body()).doesNotContain("hunter2secret", "bob:");
    }
    // Nothing was added by any of them.
    assertThat(
            PlainJson.MAPPER
                .readTree(call("GET", RepositoryRoutes.PATH, null, admin).body())
                .path("items"))
        .isEmpty();
    assertThat(server.store.repositories().list()).isEmpty();
  }

  @Test
  void aSecretIsUsedOnlyByWhoMaySetItAndARepositoryIsAddedOnce() throws Exception {
    setSecret();
    String body =
        "{\"url\":\"https://git.example/acme/api\",\"passwordSecret\":\"project/shop/GIT_TOKEN\"}";
    // carol may add repositories, but may not set that secret: its value would go to her URL.
    JsonNode refused = ApiClient.refused(add(body, adder), 403);
    assertThat(refused.path("field").asText()).isEqualTo("passwordSecret");
    assertThat(refused.path("message").asText()).contains("secrets/set project/shop/GIT_TOKEN");
    // Without a secret she may.
    HttpResponse<String> anonymous = add("{\"url\":\"https://git.example/acme/api/\"}", adder);
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(201);
    assertThat(PlainJson.MAPPER.readTree(anonymous.body()).path("url").asText())
        .isEqualTo("https://git.example/acme/api");
    // Once: by name, whatever the URL says after it.
    JsonNode twice = ApiClient.refused(add(body, admin), 409);
    assertThat(twice.path("field").asText()).isEqualTo("url");
    assertThat(twice.path("message").asText()).contains("acme/api", "added by carol");
    // A viewer of the built-in roles may not add or remove.
    String viewer = token("repo-viewer", "vic");
    ApiClient.refused(add("{\"url\":\"https://git.example/acme/x\"}", viewer), 403);
    ApiClient.refused(call("DELETE", RepositoryRoutes.PATH + "/acme/api", null, viewer), 403);
    HttpResponse<String> removed = call("DELETE", RepositoryRoutes.PATH + "/acme/api", null, adder);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
  }

  @Test
  void aHostedRepositoryIsNeitherAddedAgainNorRemovedHere() throws Exception {
    HttpResponse<String> created = call("POST", "/api/repos", "{\"name\":\"shop\"}", admin);
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    String url = server.url() + "/git/shop.git";
    JsonNode again = ApiClient.refused(add("{\"url\":\"" + url + "\"}", admin), 409);
    assertThat(again.path("message").asText()).contains("hosted");
    JsonNode remove =
        ApiClient.refused(call("DELETE", RepositoryRoutes.PATH + "/git/shop", null, admin), 409);
    assertThat(remove.path("message").asText()).contains("not added over the API");
  }
}
