package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.server.api.ApplicationView;
import dev.tagflow.server.events.PromotionDrafts;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** How the board places applications: columns, rows, projects, and who sees which cell. */
class BoardTest {

  private static Application app(String name, String project, String labels, String namespace) {
    return app(name, project, labels, "p", namespace);
  }

  private static Application app(
      String name, String project, String labels, String path, String namespace) {
    return new ApplicationLoader()
        .load(
            name + ".yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s, labels: {%s}}
            spec:
              project: %s
              source: {repoURL: "https://git.example/shop/env.git", targetRevision: main, path: %s}
              destination: {cluster: local, namespace: %s}
            """
                .formatted(name, labels, project, path, namespace))
        .getFirst();
  }

  private static Board.Entry entry(Application app, String commit) {
    Instant at = Instant.parse("2026-12-06T12:00:00Z");
    ApplicationStatus status =
        ApplicationStatus.unknown(app.name(), ApplicationStatus.Automation.of(true, true))
            .withSync(
                new ApplicationStatus.Sync(
                    ApplicationStatus.SyncCode.SYNCED,
                    Optional.of(new ApplicationStatus.GitRevision("main", commit))))
            .withDeployed(
                Optional.of(
                    new ApplicationStatus.Deployed(
                        new ApplicationStatus.GitRevision("v1.2.3", commit),
                        "key",
                        Optional.of(1L),
                        at)))
            .withHealth(HealthStatus.healthy("all ready"));
    return new Board.Entry(app, status);
  }

  @Test
  void environmentsAreColumnsInDeliveryOrderAndOneRowHoldsAnApplicationPerEnvironment() {
    List<Board.Entry> entries =
        List.of(
            entry(app("web-production", "shop", "env: production", "web-prod"), "a".repeat(40)),
            entry(app("web-dev", "shop", "environment: dev", "web-dev"), "b".repeat(40)),
            entry(app("web-staging", "shop", "environment: staging", "web-stg"), "c".repeat(40)),
            entry(
                app("cart", "shop", "\"app.kubernetes.io/name\": basket", "preview"),
                "d".repeat(40)),
            entry(app("docs", "site", "x: y", "docs"), "e".repeat(40)));
    Board board = Board.of(entries, List.of(), a -> true);

    // Labels first, then the destination namespace; known names in delivery order, then by name.
    assertThat(board.environments())
        .containsExactly("dev", "staging", "production", "docs", "preview");
    assertThat(board.projects()).extracting(Board.Project::name).containsExactly("shop", "site");
    Board.Project shop = board.projects().getFirst();
    assertThat(shop.rows()).extracting(Board.Row::name).containsExactly("basket", "web");
    Board.Row web = shop.rows().get(1);
    assertThat(web.cells().get(0))
        .hasValueSatisfying(c -> assertThat(c.application()).isEqualTo("web-dev"));
    assertThat(web.cells().get(2))
        .hasValueSatisfying(c -> assertThat(c.commit()).isEqualTo("aaaaaaa"));
    assertThat(web.cells().get(3)).isEmpty();
    Board.Cell cell = web.cells().get(0).orElseThrow();
    assertThat(cell.version()).isEqualTo("v1.2.3");
    assertThat(cell.sync()).isEqualTo("Synced");
    assertThat(cell.health()).isEqualTo("Healthy");
    assertThat(cell.age(Instant.parse("2026-12-06T12:03:10Z"))).isEqualTo("3m");
    assertThat(cell.event()).isEqualTo("app-web-dev");
  }

  @Test
  void aViewerSeesOnlyTheApplicationsThePredicateLetsThrough() {
    List<Board.Entry> entries =
        List.of(
            entry(app("web-dev", "shop", "environment: dev", "web-dev"), "b".repeat(40)),
            entry(app("web-production", "shop", "env: production", "web-prod"), "a".repeat(40)));
    Board board =
        Board.of(
            entries,
            List.of(),
            a -> !ApplicationEnvironment.objectOf(a).startsWith("shop/production/"));
    assertThat(board.environments()).containsExactly("dev");
    assertThat(board.projects().getFirst().rows().getFirst().cells()).hasSize(1);
    assertThat(ApplicationEnvironment.objectOf(entries.get(1).application()))
        .isEqualTo("shop/production/web-production");
  }

  /**
   * The board and the API show one grant the same applications, in the same environments, even
   * where the labels and the path disagree (the board and the API once read different ones). The
   * API side is the object made of what the API answers (project, environment, name): the unit test
   * server runs no controller, so this is not over HTTP.
   */
  @Test
  void aGrantSeesTheSameApplicationsOnTheBoardAndThroughTheApi() {
    Authorizer authorizer =
        Authorizer.withConfigured(
            "test",
            """
            g, dan, role:x
            p, role:x, applications, get, shop/*, allow
            p, role:x, applications, get, shop/production/*, deny
            """);
    Permission get = Permission.of("applications/get");
    Set<String> dan = Set.of("dan");
    List<Board.Entry> entries =
        List.of(
            entry(
                app("web-a", "shop", "tagflow.dev/environment: production, env: dev", "web"),
                "a".repeat(40)),
            entry(
                app("web-b", "shop", "env: staging", "environments/production", "web"),
                "b".repeat(40)),
            entry(app("web-c", "shop", "", "environments/production", "web"), "c".repeat(40)),
            entry(app("web-d", "shop", "environment: dev", "web"), "d".repeat(40)),
            entry(app("shop-e", "other", "env: dev", "e"), "e".repeat(40)));
    Board board =
        Board.of(
            entries,
            List.of(),
            a -> authorizer.allows(dan, get, ApplicationEnvironment.objectOf(a)));
    Set<String> onBoard = new TreeSet<>();
    Set<String> boardCells = new TreeSet<>();
    for (Board.Project project : board.projects()) {
      for (Board.Row row : project.rows()) {
        for (int i = 0; i < row.cells().size(); i++) {
          String environment = board.environments().get(i);
          row.cells()
              .get(i)
              .ifPresent(
                  c -> {
                    onBoard.add(c.application());
                    boardCells.add(c.application() + "@" + environment);
                  });
        }
      }
    }
    Set<String> throughApi = new TreeSet<>();
    Set<String> apiCells = new TreeSet<>();
    for (Board.Entry e : entries) {
      ApplicationView view = new ApplicationView(e.application(), e.status());
      Map<String, Object> item = view.summary();
      String object = item.get("project") + "/" + item.get("environment") + "/" + item.get("name");
      if (authorizer.allows(dan, get, object)) {
        throughApi.add(view.name());
        apiCells.add(view.name() + "@" + view.environment());
      }
    }
    assertThat(onBoard).containsExactly("web-b", "web-d").isEqualTo(throughApi);
    assertThat(boardCells).containsExactly("web-b@staging", "web-d@dev").isEqualTo(apiCells);
  }

  @Test
  void aPendingPromotionOfTheApplicationsRepositoryShowsInItsEnvironmentsCell() {
    Application production = app("web-production", "shop", "env: production", "web-prod");
    Application dev = app("web-dev", "shop", "environment: dev", "web-dev");
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    PromotionRecord older = pending(7, "https://git.example/shop/env.git", now.minusSeconds(60));
    PromotionRecord newer = pending(9, "shop/env", now);
    PromotionRecord elsewhere = pending(11, "https://git.example/other/env.git", now);
    List<PromotionRecord> all = List.of(older, newer, elsewhere);
    assertThat(Board.cellOf(entry(production, "a".repeat(40)), all).promotion())
        .contains("1.2.3 (#9)");
    assertThat(Board.cellOf(entry(production, "a".repeat(40)), List.of(older)).promotion())
        .contains("1.2.3 (#7)");
    assertThat(Board.cellOf(entry(production, "a".repeat(40)), List.of(elsewhere)).promotion())
        .isEmpty();
    // A promotion into production is not dev's.
    assertThat(Board.cellOf(entry(dev, "b".repeat(40)), all).promotion()).isEmpty();
  }

  private static PromotionRecord pending(long id, String repository, Instant at) {
    PromotionDraft draft = PromotionDrafts.web123Into(repository, "production");
    return new PromotionRecord(
        id, draft, PromotionRecord.PromotionState.PENDING, "", Optional.empty(), List.of(), at, at);
  }

  @Test
  void whatGitOrAStatusSaysIsEscapedInTheCellsHtml() {
    Board.Cell cell =
        new Board.Cell(
            "web-dev",
            "v1\"><script>alert(1)</script>",
            "abc1234",
            // Sync and health are in class attributes too.
            "Synced\" onmouseover=\"alert(1)",
            "Degraded",
            Optional.empty(),
            Optional.of("wave 2 waits for <img src=x onerror=alert(1)>"),
            Optional.of("1.2.3 (#1)"));
    String html =
        new Pages().render("cell.jte", java.util.Map.of("cell", cell, "now", Instant.now()));
    assertThat(html)
        .doesNotContain("<script>", "<img", "sync-Synced\" onmouseover")
        .contains("&lt;script&gt;", "&lt;img src=x", "sync-Synced&#34; onmouseover=&#34;");
  }

  @Test
  void anApplicationNotDeployedYetSaysSo() {
    Application app = app("api-dev", "default", "environment: dev", "api");
    Board.Cell cell =
        Board.cellOf(
            new Board.Entry(
                app,
                ApplicationStatus.unknown(
                    "api-dev", ApplicationStatus.Automation.of(false, false))),
            List.of());
    assertThat(cell.version()).isEqualTo("not deployed");
    assertThat(cell.commit()).isEmpty();
    assertThat(cell.sync()).isEqualTo("Unknown");
    assertThat(cell.age(Instant.now())).isEmpty();
    assertThat(Board.shortAge(Duration.ofDays(3))).isEqualTo("3d");
  }
}
