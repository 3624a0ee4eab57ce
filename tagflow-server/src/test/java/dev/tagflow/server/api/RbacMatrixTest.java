package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.TestServer;
import dev.tagflow.server.auth.ApiTokens;
import dev.tagflow.server.rbac.Authorizer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the server, as the server itself lists them, called as each built-in role and as
 * nobody: the answer is 401, 403 or let through exactly as the policy says, and as this table of
 * expectations (written by hand from docs/auth.md) says too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RbacMatrixTest {

  /** The callers: a user per built-in role, and nobody. */
  static final List<String> ROLES = List.of("viewer", "deployer", "release-manager", "admin");

  /**
   * How to call a route, and which roles the built-in policy lets through; a new route fails this
   * test until it has a line here.
   *
   * @param body the request body for a caller (its role name), or null
   * @param object the permission object that request names
   * @param allowed the roles expected to pass
   */
  record Sample(
      java.util.function.Function<String, String> body,
      String object,
      Set<String> allowed,
      String path) {
    Sample(java.util.function.Function<String, String> body, String object, Set<String> allowed) {
      this(body, object, allowed, null);
    }
  }

  /** Who may change applications outside production, as the built-in policy says. */
  static final Set<String> DEPLOYERS = Set.of("deployer", "release-manager", "admin");

  static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put("GET /api/repos", new Sample(role -> null, "*", Set.copyOf(ROLES)));
    SAMPLES.put(
        "POST /api/repos",
        new Sample(role -> "{\"name\":\"matrix-" + role + "\"}", "matrix-ROLE", Set.of("admin")));
    SAMPLES.put(
        "GET /api/v1/audit", new Sample(role -> null, "*", Set.of("release-manager", "admin")));
    SAMPLES.put("GET /api/v1/session", new Sample(role -> null, "", Set.copyOf(ROLES)));
    SAMPLES.put("DELETE /api/v1/session", new Sample(role -> null, "", Set.copyOf(ROLES)));
    SAMPLES.put(
        "POST /api/v1/session",
        new Sample(role -> "{\"username\":\"x\",\"password\":\"y\"}", "", Set.of()));
    // The test server has no controller: application matrix-app does not exist, so its object is
    // -/-/matrix-app and a caller the gate lets through gets 404.
    String app = "/api/v1/applications/matrix-app";
    SAMPLES.put("GET /api/v1/applications", new Sample(role -> null, "", Set.copyOf(ROLES)));
    for (String read : List.of("", "/tree", "/diff", "/history", "/events")) {
      SAMPLES.put(
          "GET /api/v1/applications/{name}" + read,
          new Sample(role -> null, "-/-/matrix-app", Set.copyOf(ROLES), app + read));
    }
    SAMPLES.put(
        "POST /api/v1/applications/{name}/refresh",
        new Sample(role -> null, "-/-/matrix-app", DEPLOYERS, app + "/refresh"));
    SAMPLES.put(
        "POST /api/v1/applications/{name}/sync",
        new Sample(role -> "{\"prune\":true}", "-/-/matrix-app", DEPLOYERS, app + "/sync"));
    SAMPLES.put(
        "POST /api/v1/applications/{name}/rollback",
        new Sample(role -> "{\"id\":1}", "-/-/matrix-app", DEPLOYERS, app + "/rollback"));
    // The test server has no pipeline, no run and no promotion request: a caller the gate lets
    // through gets 404 (no such id) or 503 (no pipeline), never 401 or 403.
    Set<String> all = Set.copyOf(ROLES);
    Set<String> admin = Set.of("admin");
    String run = "/api/v1/runs/matrix-run";
    SAMPLES.put("GET /api/v1/runs", new Sample(role -> null, "", all));
    SAMPLES.put(
        "POST /api/v1/runs",
        new Sample(
            role -> "{\"repository\":\"git/matrix\",\"workflow\":\"release.yml\",\"ref\":\"v1\"}",
            "git/matrix",
            DEPLOYERS));
    SAMPLES.put("GET /api/v1/runs/{id}", new Sample(role -> null, "-", all, run));
    SAMPLES.put("GET /api/v1/runs/{id}/logs", new Sample(role -> null, "-", all, run + "/logs"));
    SAMPLES.put(
        "POST /api/v1/runs/{id}/cancel", new Sample(role -> null, "-", DEPLOYERS, run + "/cancel"));
    SAMPLES.put(
        "POST /api/v1/runs/{id}/rerun",
        new Sample(role -> "{\"force\":false}", "-", DEPLOYERS, run + "/rerun"));
    SAMPLES.put("GET /api/v1/releases", new Sample(role -> null, "", all));
    String promotion = "/api/v1/promotions/7";
    SAMPLES.put("GET /api/v1/promotions", new Sample(role -> null, "", all));
    SAMPLES.put("GET /api/v1/promotions/{id}", new Sample(role -> null, "-/-/-", all, promotion));
    SAMPLES.put(
        "POST /api/v1/promotions/{id}/approve",
        new Sample(role -> null, "-/-/-", DEPLOYERS, promotion + "/approve"));
    SAMPLES.put(
        "POST /api/v1/promotions/{id}/reject",
        new Sample(role -> "{\"reason\":\"no\"}", "-/-/-", DEPLOYERS, promotion + "/reject"));
    SAMPLES.put("GET /api/v1/repositories", new Sample(role -> null, "", all));
    SAMPLES.put(
        "GET /api/v1/repositories/{owner}/{name}",
        new Sample(role -> null, "git/matrix", all, "/api/v1/repositories/git/matrix"));
    SAMPLES.put(
        "POST /api/v1/repositories",
        new Sample(
            role -> "{\"url\":\"https://git.example/matrix/r-" + role + ".git\"}",
            "matrix/r-ROLE",
            admin));
    SAMPLES.put(
        "DELETE /api/v1/repositories/{owner}/{name}",
        new Sample(role -> null, "matrix/none", admin, "/api/v1/repositories/matrix/none"));
    SAMPLES.put("GET /api/v1/clusters", new Sample(role -> null, "", all));
    String secret = "/api/v1/secrets/project/shop/MATRIX_ROLE";
    SAMPLES.put("GET /api/v1/secrets", new Sample(role -> null, "", all));
    SAMPLES.put(
        "PUT /api/v1/secrets/{kind}/{scope}/{name}",
        new Sample(
            role -> "{\"value\":\"matrix value\"}", "project/shop/MATRIX_ROLE", admin, secret));
    SAMPLES.put(
        "DELETE /api/v1/secrets/{kind}/{scope}/{name}",
        new Sample(role -> null, "project/shop/MATRIX_ROLE", admin, secret));
    SAMPLES.put("GET /api/v1/tokens", new Sample(role -> null, "*", admin));
    SAMPLES.put(
        "POST /api/v1/tokens",
        new Sample(
            role -> "{\"name\":\"matrix-t-" + role + "\",\"owner\":\"someone\"}",
            "someone/matrix-t-ROLE",
            admin));
    SAMPLES.put(
        "DELETE /api/v1/tokens/{token}",
        new Sample(role -> null, "-/matrix-none", admin, "/api/v1/tokens/matrix-none"));
    SAMPLES.put("GET /api/v1/users", new Sample(role -> null, "*", admin));
    SAMPLES.put(
        "POST /api/v1/users",
        new Sample(
            role -> "{\"name\":\"matrix-u-" + role + "\",\"password\":\"a long password 1\"}",
            "matrix-u-ROLE",
            admin));
    SAMPLES.put(
        "PUT /api/v1/users/{user}/password",
        new Sample(
            role -> "{\"password\":\"another long password\"}",
            "matrix-none",
            admin,
            "/api/v1/users/matrix-none/password"));
    SAMPLES.put(
        "DELETE /api/v1/users/{user}",
        new Sample(role -> null, "matrix-none", admin, "/api/v1/users/matrix-none"));
    SAMPLES.put("GET /api/v1/openapi.json", new Sample(role -> null, "", Set.of()));
    // The web UI: the board and its stream show each viewer the applications it may get.
    SAMPLES.put("GET /ui/login", new Sample(role -> null, "", Set.of()));
    SAMPLES.put("GET /ui", new Sample(role -> null, "", Set.copyOf(ROLES)));
    SAMPLES.put("GET /ui/board/events", new Sample(role -> null, "", Set.copyOf(ROLES)));
    // The application pages: as the API's routes of the application (404 past the gate here).
    String page = "/ui/applications/matrix-app";
    for (String read : List.of("", "/diff", "/rollback", "/events")) {
      SAMPLES.put(
          "GET /ui/applications/{name}" + read,
          new Sample(role -> null, "-/-/matrix-app", Set.copyOf(ROLES), page + read));
    }
    SAMPLES.put(
        "POST /ui/applications/{name}/rollback",
        new Sample(role -> "id=1", "-/-/matrix-app", DEPLOYERS, page + "/rollback"));
    SAMPLES.put(
        "GET /ui/applications/{name}/sync",
        new Sample(role -> null, "-/-/matrix-app", Set.copyOf(ROLES), page + "/sync"));
    for (String action : List.of("/sync", "/refresh", "/automation")) {
      SAMPLES.put(
          "POST /ui/applications/{name}" + action,
          new Sample(role -> "prune=true", "-/-/matrix-app", DEPLOYERS, page + action));
    }
    // The delivery pages: lists filtered per item, a missing run's or request's object is empty
    // (only a grant of every object reaches it, to be told it is not there).
    for (String list : List.of("/ui/runs", "/ui/releases", "/ui/approvals", "/ui/charts")) {
      SAMPLES.put("GET " + list, new Sample(role -> null, "", Set.copyOf(ROLES)));
    }
    SAMPLES.put(
        "GET /ui/runs/{id}",
        new Sample(role -> null, "", Set.copyOf(ROLES), "/ui/runs/matrix-run"));
    SAMPLES.put(
        "GET /ui/runs/{id}/log/events",
        new Sample(role -> null, "", Set.copyOf(ROLES), "/ui/runs/matrix-run/log/events"));
    for (String verb : List.of("cancel", "rerun")) {
      SAMPLES.put(
          "POST /ui/runs/{id}/" + verb,
          new Sample(role -> null, "", DEPLOYERS, "/ui/runs/matrix-run/" + verb));
    }
    for (String verb : List.of("approve", "reject")) {
      SAMPLES.put(
          "POST /ui/approvals/{id}/" + verb,
          new Sample(role -> null, "", Set.of("admin"), "/ui/approvals/999/" + verb));
    }
    SAMPLES.put("GET /ui/audit", new Sample(role -> null, "*", Set.of("release-manager", "admin")));
    SAMPLES.put("GET /ui/settings", new Sample(role -> null, "*", Set.of("admin")));
    SAMPLES.put("POST /ui/settings/tokens", new Sample(role -> null, "/", Set.of("admin")));
    SAMPLES.put(
        "POST /ui/settings/tokens/{id}/revoke",
        new Sample(role -> null, "", Set.of("admin"), "/ui/settings/tokens/nope/revoke"));
    SAMPLES.put("POST /ui/settings/users", new Sample(role -> null, "", Set.of("admin")));
    for (String verb : List.of("password", "remove")) {
      SAMPLES.put(
          "POST /ui/settings/users/{name}/" + verb,
          new Sample(
              role -> null,
              "matrix-nobody",
              Set.of("admin"),
              "/ui/settings/users/matrix-nobody/" + verb));
    }
    for (String asset :
        List.of(
            "htmx.min.js",
            "htmx-ext-sse.js",
            "tagflow.js",
            "tagflow.css",
            "tagflow-charts.js",
            "uPlot.iife.min.js",
            "uPlot.min.css")) {
      SAMPLES.put("GET /ui/assets/" + asset, new Sample(role -> null, "", Set.of()));
    }
  }

  /** What the gate answers when it stops a request. */
  static final String[] GATE_ERRORS = {"\"error\":\"unauthorized\"", "\"error\":\"forbidden\""};

  @TempDir static Path temp;
  TestServer server;
  ApiClient client;
  final Map<String, String> tokens = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    StringBuilder grants = new StringBuilder();
    ROLES.forEach(
        role -> grants.append("g, user-").append(role).append(", role:").append(role).append('\n'));
    server =
        TestServer.withAccess(
            temp.resolve("data"),
            Authorizer.withConfigured("matrix", grants.toString()),
            TestServer.TEST_ACCESS);
    client = new ApiClient(server.url());
    ApiTokens api = server.daemon.access().tokens();
    for (String role : ROLES) {
      tokens.put(role, api.create("matrix-" + role, "user-" + role, Optional.empty()).text());
    }
  }

  @AfterAll
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void everyRouteAsEveryRoleAndAsNobodyIsAnsweredAsThePolicySays() {
    List<String> checked = new ArrayList<>();
    for (Route route : server.daemon.server().routes().routes()) {
      Sample sample = SAMPLES.get(route.key());
      assertThat(sample)
          .as("RbacMatrixTest.SAMPLES has no line for %s: add how to call it", route.key())
          .isNotNull();
      String path = sample.path() == null ? route.path() : sample.path();
      // Nobody.
      HttpResponse<String> anonymous =
          client.call(route.method().name(), path, sample.body().apply("nobody"));
      if (route.access() instanceof Access.Public) {
        assertThat(anonymous.body()).as(route.key() + " as nobody").doesNotContain(GATE_ERRORS);
      } else if (AccessGate.uiPage(route)) {
        // A page of the web UI sends a browser without a session to the login page.
        assertThat(anonymous.statusCode()).as(route.key() + " as nobody").isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).contains(AccessGate.UI_LOGIN);
      } else {
        assertThat(anonymous.statusCode()).as(route.key() + " as nobody").isEqualTo(401);
        assertThat(anonymous.body()).contains("\"error\":\"unauthorized\"");
      }
      for (String role : ROLES) {
        HttpResponse<String> answer =
            client.call(
                route.method().name(),
                path,
                sample.body().apply(role),
                "Authorization",
                "Bearer " + tokens.get(role));
        String what = route.key() + " as " + role;
        switch (route.access()) {
          // A public route answers for itself (a failed login is its own 401), never the gate.
          case Access.Public open -> assertThat(answer.body()).as(what).doesNotContain(GATE_ERRORS);
          case Access.SignedIn signedIn ->
              assertThat(answer.statusCode()).as(what).isNotIn(401, 403);
          case Access.Required required -> {
            boolean policy =
                server
                    .daemon
                    .access()
                    .authorizer()
                    .allows(
                        Set.of("user-" + role, "token:matrix-" + role),
                        required.permission(),
                        sample.object().replace("ROLE", role));
            assertThat(policy)
                .as(what + ": the policy, against the table")
                .isEqualTo(sample.allowed().contains(role));
            if (policy) {
              assertThat(answer.statusCode()).as(what + ": " + answer.body()).isNotIn(401, 403);
            } else {
              assertThat(answer.statusCode()).as(what).isEqualTo(403);
              if (route.path().startsWith(RouteTable.UI)) {
                // A person gets a page that names what is missing, not the API's JSON.
                assertThat(answer.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
                assertThat(answer.body())
                    .contains("data-error=\"forbidden\"")
                    .contains("may not " + required.permission());
              } else {
                assertThat(answer.body()).contains("\"error\":\"forbidden\"");
              }
            }
          }
        }
        checked.add(what + " -> " + answer.statusCode());
      }
    }
    assertThat(checked).hasSize(SAMPLES.size() * ROLES.size());
  }

  @Test
  void everyApiEndpointOfTheServerIsInTheRouteTableWithADeclaredAccess() {
    Set<String> declared =
        Set.copyOf(server.daemon.server().routes().routes().stream().map(Route::key).toList());
    List<String> api =
        server.daemon.server().endpoints().stream()
            .filter(e -> e.contains(" /api/") && !e.contains(" " + RouteTable.WEBHOOKS))
            .toList();
    assertThat(api).isNotEmpty();
    assertThat(declared).containsAll(api);
    // The webhooks are the only /api endpoints outside the table.
    assertThat(server.daemon.server().endpoints())
        .filteredOn(e -> e.contains(" /api/") && !declared.contains(e))
        .allSatisfy(e -> assertThat(e).contains(RouteTable.WEBHOOKS));
    // Every page, stream and asset of the web UI too.
    List<String> ui =
        server.daemon.server().endpoints().stream()
            .filter(e -> e.contains(" " + RouteTable.UI))
            .toList();
    assertThat(ui).isNotEmpty();
    assertThat(declared).containsAll(ui);
    for (Route route : server.daemon.server().routes().routes()) {
      if (route.access() instanceof Access.Public open) {
        assertThat(open.reason()).as(route.key()).isNotBlank();
      }
    }
  }

  @Test
  void productionSyncAndRollbackNeedAReleaseManager() {
    Map<String, Set<String>> expected =
        Map.of(
            "applications/sync", Set.of("release-manager", "admin"),
            "applications/rollback", Set.of("release-manager", "admin"),
            "applications/refresh", DEPLOYERS,
            "applications/get", Set.copyOf(ROLES),
            "promotions/approve", Set.of("release-manager", "admin"),
            "promotions/reject", Set.of("release-manager", "admin"),
            "promotions/get", Set.copyOf(ROLES));
    expected.forEach(
        (permission, allowed) -> {
          for (String role : ROLES) {
            boolean policy =
                server
                    .daemon
                    .access()
                    .authorizer()
                    .allows(
                        Set.of("user-" + role),
                        dev.tagflow.server.rbac.Permission.of(permission),
                        "shop/production/web");
            assertThat(policy)
                .as(permission + " in production as " + role)
                .isEqualTo(allowed.contains(role));
          }
        });
  }

  @Test
  void theTableRefusesARouteOutsideTheApiOrTwice() {
    RouteTable table = new RouteTable();
    table.get("/api/x", new Access.Public("test"), ctx -> {});
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> table.get("/api/x", new Access.Public("test"), ctx -> {}))
        .hasMessageContaining("declared twice");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> table.post("/api/webhooks/x", new Access.Public("test"), ctx -> {}))
        .hasMessageContaining("not an API route");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> table.get("/uix", new Access.Public("test"), ctx -> {}))
        .hasMessageContaining("not an API route");
    table.get("/ui/x", new Access.Public("test"), ctx -> {});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Access.Public(" "))
        .hasMessageContaining("says why");
  }
}
