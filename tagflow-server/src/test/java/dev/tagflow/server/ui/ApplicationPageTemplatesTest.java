package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.FieldDrift;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.diff.UnifiedDiff;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.OwnedObject;
import dev.tagflow.server.ApiError;
import dev.tagflow.store.Event;
import dev.tagflow.store.EventType;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The application page's templates render what the cluster and Git say as text: an object name, a
 * health message, an event, a field path or a diff line holding markup never becomes markup.
 */
class ApplicationPageTemplatesTest {

  static final String ATTACK = "<script>alert(1)</script>";
  static final String ATTRIBUTE_ATTACK = "\"><img src=x onerror=alert(2)>";
  static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");

  private final Pages pages = new Pages();

  static Application app() {
    return app("dev");
  }

  static Application app(String environment) {
    return new ApplicationLoader()
        .load(
            "web-" + environment + ".yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: web-%s, labels: {environment: %s}}
            spec:
              project: shop
              source: {repoURL: "https://git.example/shop/env.git", targetRevision: main, path: p}
              destination: {cluster: local, namespace: web}
            """
                .formatted(environment, environment))
        .getFirst();
  }

  static final ApplicationPage.Actions ALL_ALLOWED =
      new ApplicationPage.Actions(
          ApplicationPage.Verdict.ALLOWED,
          ApplicationPage.Verdict.ALLOWED,
          ApplicationPage.Verdict.ALLOWED);

  static ApplicationPage page(ApplicationPage.Verdict rollback) {
    ObjectRef hostile = new ObjectRef("v1", "ConfigMap", "web", ATTACK);
    ObjectRef plain = new ObjectRef("apps/v1", "Deployment", "web", "web");
    String commit = "a".repeat(40);
    ApplicationStatus status =
        ApplicationStatus.unknown("web-dev", ApplicationStatus.Automation.of(true, true))
            .withSync(
                new ApplicationStatus.Sync(
                    ApplicationStatus.SyncCode.OUT_OF_SYNC,
                    Optional.of(new ApplicationStatus.GitRevision("main", commit))))
            .withDeployed(
                Optional.of(
                    new ApplicationStatus.Deployed(
                        new ApplicationStatus.GitRevision("main", commit),
                        "key",
                        Optional.of(2L),
                        AT)))
            .withHealth(HealthStatus.degraded(ATTACK))
            .withOperation(
                Optional.of(
                    new ApplicationStatus.Operation(
                        3,
                        SyncTrigger.USER,
                        new ApplicationStatus.GitRevision("main", commit),
                        SyncStatus.RUNNING,
                        "wave 2",
                        "waits for Deployment/web " + ATTACK,
                        ChangeSet.empty(),
                        AT,
                        Optional.empty())))
            .withConditions(
                List.of(
                    new ApplicationStatus.Condition(
                        ApplicationStatus.Severity.ERROR, "SyncFailed", ATTACK, AT)))
            .withObjects(
                List.of(
                    new ApplicationStatus.ObjectStatus(
                        hostile,
                        ApplicationStatus.ObjectSync.OUT_OF_SYNC,
                        Optional.of(HealthStatus.healthy(ATTRIBUTE_ATTACK)),
                        ATTACK,
                        List.of(new FieldDrift("data[\"" + ATTACK + "\"]", List.of(ATTACK)))),
                    new ApplicationStatus.ObjectStatus(
                        plain,
                        ApplicationStatus.ObjectSync.SYNCED,
                        Optional.of(HealthStatus.healthy("")),
                        "",
                        List.of())));
    List<HistoryEntry> history =
        List.of(
            new HistoryEntry("web-dev", 2, record(commit, ATTACK)),
            new HistoryEntry("web-dev", 1, record("b".repeat(40), "first")));
    List<Event> events =
        List.of(new Event("web-dev", AT, EventType.WARNING, "Drift", ATTACK + ATTRIBUTE_ATTACK));
    return new ApplicationPage(app(), status, history, events, rollback, AT.plusSeconds(90));
  }

  /** The page with another application, status or owned objects; the rest as {@code base}. */
  static ApplicationPage like(
      ApplicationPage base,
      Application app,
      ApplicationStatus status,
      ApplicationPage.Owned owned) {
    return new ApplicationPage(
        app,
        status,
        base.history(),
        base.events(),
        base.rollback(),
        base.now(),
        owned,
        base.syncWindow());
  }

  static SyncRecord record(String commit, String message) {
    return new SyncRecord(
        commit,
        "main",
        Optional.empty(),
        "hash-" + commit,
        "[]",
        SyncTrigger.AUTOMATION,
        SyncResult.SUCCEEDED,
        Optional.of("Healthy"),
        message,
        AT,
        Optional.of(AT));
  }

  private String render(String template, Map<String, Object> params) {
    Map<String, Object> all = new LinkedHashMap<>(params);
    all.putIfAbsent("csrf", "token-123");
    all.putIfAbsent("user", "ada");
    return pages.render(template, all);
  }

  private static void assertNoMarkupFromData(String html) {
    assertThat(html)
        .doesNotContain(ATTACK)
        .doesNotContain("<img")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
  }

  @Test
  void thePageShowsObjectNamesMessagesEventsAndFieldsAsText() {
    String html =
        render(
            "application.jte",
            Map.of(
                "page",
                page(ApplicationPage.Verdict.ALLOWED),
                "notice",
                "",
                "actions",
                ALL_ALLOWED));
    assertNoMarkupFromData(html);
    // What it shows: the badges in words, the wave's progress, the manager of a changed field.
    assertThat(html)
        .contains("Sync: OutOfSync")
        .contains("Health: Degraded")
        .contains("wave 2: waits for Deployment/web")
        .contains("changed by <strong>&lt;script&gt;")
        .contains("deployed 1m ago");
    // Sync #2 runs now: only #1 can be rolled back to, through the confirmation page.
    assertThat(html)
        .contains("href=\"/ui/applications/web-dev/rollback?id=1\"")
        .doesNotContain("rollback?id=2");
  }

  @Test
  void aViewerWhoMayNotRollBackSeesWhyAndNoButton() {
    String html =
        render(
            "application-live.jte",
            Map.of(
                "page",
                page(
                    ApplicationPage.Verdict.refused(
                        "ada may not applications/rollback " + ATTACK))));
    assertNoMarkupFromData(html);
    assertThat(html).contains("Rollback not available: ada may not").doesNotContain("rollback?id=");
  }

  @Test
  void theDiffShowsLinesAndManagersAsText() {
    String live = "data:\n  key: \"" + ATTACK + "\"\n  same: x\n";
    String desired = "data:\n  key: \"" + ATTRIBUTE_ATTACK + "\"\n  same: x\n";
    ObjectRef ref = new ObjectRef("v1", "ConfigMap", "web", ATTACK);
    ApplicationDiff diff =
        new ApplicationDiff(
            "web-dev",
            "main (aaaaaaaaaaaa)",
            List.of(
                ApplicationDiff.object(
                    new ResourceDiff.OutOfSync(
                        ref,
                        UnifiedDiff.of(live, desired, "live", "desired"),
                        List.of(new FieldDrift("data.key", List.of("kubectl-edit " + ATTACK))))),
                ApplicationDiff.object(new ResourceDiff.Unknown(ref, ATTACK))),
            Optional.of(ATTACK));
    String html = render("application-diff.jte", Map.of("diff", diff));
    assertNoMarkupFromData(html);
    assertThat(html).contains("changed by <strong>kubectl-edit &lt;script&gt;");
  }

  @Test
  void theRefusalAndConfirmationPagesShowTheirTextAsText() {
    String refused =
        render(
            "refused.jte",
            Map.of("status", 403, "why", new ApiError("forbidden", ATTACK, ATTRIBUTE_ATTACK)));
    assertNoMarkupFromData(refused);
    assertThat(refused).contains("Not allowed");
    ApplicationPage page = page(ApplicationPage.Verdict.ALLOWED);
    String confirm =
        render(
            "application-rollback.jte",
            Map.of("page", page, "target", page.history().get(1), "csrf", ATTRIBUTE_ATTACK));
    // The CSRF token goes into an attribute: quoted there, whatever it holds.
    assertThat(confirm)
        .doesNotContain("<img")
        .contains("name=\"id\" value=\"1\"")
        .contains("action=\"/ui/applications/web-dev/rollback\"");
  }

  @Test
  void theActionsArePostedFormsWithTheCsrfTokenAndLabelledOptions() {
    String html =
        render(
            "application.jte",
            Map.of(
                "page",
                page(ApplicationPage.Verdict.ALLOWED),
                "notice",
                "",
                "actions",
                ALL_ALLOWED,
                "csrf",
                ATTRIBUTE_ATTACK));
    assertThat(html)
        .doesNotContain("<img")
        .contains("method=\"post\" action=\"/ui/applications/web-dev/sync\"")
        .contains("method=\"post\" action=\"/ui/applications/web-dev/refresh\"")
        .contains("name=\"prune\" value=\"true\"")
        .contains("name=\"confirmPrune\" value=\"true\"")
        .contains("name=\"hard\" value=\"true\"")
        .contains("Sync now")
        .contains("Dry run: what a sync would change")
        // Every checkbox in its label, every form with a legend: keyboard and screen reader.
        .contains("<label><input type=\"checkbox\" name=\"prune\"")
        .contains("<legend>Sync</legend>")
        // Automated sync is on: nothing to turn on again.
        .doesNotContain("automation-form");
    // Each posted form carries the CSRF token, quoted in its attribute whatever it holds.
    assertThat(html.split("name=\"csrf\"", -1)).hasSize(3);
  }

  @Test
  void productionSyncsGoThroughAConfirmationPageAndAutomationCanBeTurnedOnAgain() {
    ApplicationPage base = page(ApplicationPage.Verdict.ALLOWED);
    ApplicationStatus stopped =
        base.status()
            .withAutomation(
                base.status()
                    .automation()
                    .withDisabled(
                        Optional.of(
                            new ApplicationStatus.Disabled("rolled back to #1 " + ATTACK, AT))));
    ApplicationPage production = like(base, app("production"), stopped, base.owned());
    String html =
        render("application.jte", Map.of("page", production, "notice", "", "actions", ALL_ALLOWED));
    assertNoMarkupFromData(html);
    assertThat(html)
        .contains("method=\"get\" action=\"/ui/applications/web-production/sync\"")
        .contains("Sync…")
        .contains("action=\"/ui/applications/web-production/automation\"")
        .contains("Turn automated sync on again");
    String confirm =
        render(
            "application-sync.jte",
            Map.of(
                "page",
                production,
                "actions",
                ALL_ALLOWED,
                "options",
                ApplicationPage.SyncOptions.of("true", "no")));
    assertThat(confirm)
        .contains("Sync web-production in production?")
        .contains("name=\"confirmed\" value=\"yes\"")
        .contains("id=\"confirm-sync\"");
    // The options asked for on the page are checked again, and only those.
    assertThat(confirm)
        .containsPattern("name=\"prune\" value=\"true\" id=\"confirm-prune-option\" checked")
        .doesNotContainPattern("name=\"confirmPrune\"[^>]* checked");
  }

  @Test
  void aViewerSeesWhyEachActionIsRefusedAndNoForm() {
    ApplicationPage.Verdict no = ApplicationPage.Verdict.refused("vic may not " + ATTACK);
    ApplicationPage page = page(no);
    String html =
        render(
            "application.jte",
            Map.of("page", page, "notice", "", "actions", new ApplicationPage.Actions(no, no, no)));
    assertNoMarkupFromData(html);
    assertThat(html)
        .contains("Sync not available: vic may not")
        .contains("Refresh not available: vic may not")
        .doesNotContain("id=\"sync-form\"")
        .doesNotContain("id=\"refresh-form\"");
    String confirm =
        render(
            "application-sync.jte",
            Map.of(
                "page",
                page,
                "actions",
                new ApplicationPage.Actions(no, no, no),
                "options",
                ApplicationPage.SyncOptions.of(null, null)));
    assertThat(confirm).contains("You cannot sync now: vic may not").doesNotContain("confirm-sync");
  }

  @Test
  void theTreeShowsWhatEachObjectOwnsBelowItWithHealthAndMessage() {
    ApplicationPage base = page(ApplicationPage.Verdict.ALLOWED);
    ObjectRef deployment = new ObjectRef("apps/v1", "Deployment", "web", "web");
    ObjectRef replicaSet = new ObjectRef("apps/v1", "ReplicaSet", "web", "web-5d4f");
    OwnedObject pod =
        new OwnedObject(
            new ObjectRef("v1", "Pod", "web", "web-5d4f-x1"),
            HealthStatus.degraded("CrashLoopBackOff " + ATTACK),
            List.of());
    ApplicationPage page =
        like(
            base,
            base.application(),
            base.status(),
            new ApplicationPage.Owned(
                Map.of(
                    deployment,
                    List.of(
                        new OwnedObject(
                            replicaSet, HealthStatus.progressing("1 of 2 ready"), List.of(pod)))),
                ""));
    assertThat(page.ownedRows(deployment))
        .extracting(r -> r.node().object().name() + "@" + r.depth() + "<" + r.owner().name())
        .containsExactly("web-5d4f@1<web", "web-5d4f-x1@2<web-5d4f");
    String html = render("application-live.jte", Map.of("page", page));
    assertNoMarkupFromData(html);
    // Below the Deployment's row, in order: its ReplicaSet, then the ReplicaSet's Pod.
    int owner = html.indexOf("data-kind=\"Deployment\" data-name=\"web\"");
    int rs = html.indexOf("data-kind=\"ReplicaSet\" data-name=\"web-5d4f\"");
    int podRow = html.indexOf("data-kind=\"Pod\" data-name=\"web-5d4f-x1\"");
    assertThat(owner).isPositive().isLessThan(rs);
    assertThat(rs).isLessThan(podRow);
    assertThat(html)
        .contains("class=\"owned depth-2\"")
        .contains(", owned by ReplicaSet web-5d4f")
        .contains("health-Degraded")
        .contains("CrashLoopBackOff &lt;script&gt;")
        .contains("1 of 2 ready");
    // A cluster that could not be read: the page says so and still shows the rest.
    ApplicationPage unread =
        like(
            base,
            base.application(),
            base.status(),
            new ApplicationPage.Owned(Map.of(), "cluster local unavailable " + ATTACK));
    String without = render("application-live.jte", Map.of("page", unread));
    assertNoMarkupFromData(without);
    assertThat(without)
        .contains("What the objects own could not be read: cluster local unavailable")
        .doesNotContain("class=\"owned");
  }
}
