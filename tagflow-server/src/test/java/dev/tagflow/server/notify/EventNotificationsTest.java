package dev.tagflow.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.server.config.NotificationWebhook;
import dev.tagflow.server.config.NotificationWebhook.Format;
import dev.tagflow.server.config.NotificationWebhook.SecretSource;
import dev.tagflow.server.config.NotificationWebhook.Trigger;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.events.PromotionDrafts;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Event;
import dev.tagflow.store.EventType;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What the server's events become: the controller's status changes (as its subscription hands
 * them), run ends and new promotion requests, each reaching the webhooks of the projects concerned
 * through a real notifier and a real receiver.
 */
class EventNotificationsTest {

  private static final String ENV_REPO = "http://127.0.0.1:7070/git/acme/environments.git";

  @TempDir Path temp;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Receiver shop;
  private Receiver fallback;
  private Notifier notifier;
  private Store store;
  private EventNotifications events;
  private List<Application> applications;

  @BeforeEach
  void twoProjectsWithAWebhookEach() throws Exception {
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(temp)));
    shop = Receiver.start();
    fallback = Receiver.start();
    Path key = Files.writeString(temp.resolve("key"), "k");
    notifier =
        new Notifier(
            // One delivery at a time, in order: the sentinel sent last arrives last.
            new Notifier.Options(
                100, 1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(5), 1, 20),
            Clock.systemUTC(),
            meters,
            store.notifications());
    notifier.setProjects(
        List.of(
            project("shop", shop.url(), key),
            project(ServerSettings.DEFAULT_PROJECT, fallback.url(), key)));
    applications =
        new ApplicationLoader()
            .load(
                "web.yaml",
                """
                apiVersion: tagflow.dev/v1alpha1
                kind: Application
                metadata: {name: web-prod}
                spec:
                  project: shop
                  source: {repoURL: "%s", targetRevision: main, path: environments/prod}
                  destination: {cluster: local, namespace: web-prod}
                """
                    .formatted(ENV_REPO.replace("environments.git", "environments/")));
    events =
        new EventNotifications(
            notifier,
            name -> applications.stream().filter(a -> a.name().equals(name)).findFirst(),
            () -> applications,
            () -> Optional.of(URI.create("https://tagflow.example.com/")),
            Clock.systemUTC());
  }

  @AfterEach
  void close() {
    notifier.close();
    shop.close();
    fallback.close();
    store.close();
  }

  private static ServerSettings.Project project(String name, URI url, Path key) {
    return new ServerSettings.Project(
        name,
        List.of(new ServerSettings.Destination("*", "*")),
        List.of(),
        List.of(
            new NotificationWebhook(
                name + "-hook",
                url,
                Format.GENERIC,
                EnumSet.allOf(Trigger.class),
                Optional.of(new SecretSource.File(key)))));
  }

  /**
   * The one notification the receiver got: a sentinel sent to every project after the test's events
   * arrives after them all, so nothing more is on its way.
   */
  private JsonNode only(Receiver receiver) throws Exception {
    for (String project : List.of("shop", ServerSettings.DEFAULT_PROJECT)) {
      notifier.notify(
          new Notification(
              Trigger.ROLLBACK,
              Notification.Subject.application("sentinel"),
              project,
              Optional.empty(),
              "sentinel",
              Instant.now(),
              Optional.empty()));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sentinels(shop) == 1 && sentinels(fallback) == 1);
    List<Receiver.Received> told =
        receiver.requests.stream().filter(r -> !r.body().contains("sentinel")).toList();
    assertThat(told).hasSize(1);
    return PlainJson.MAPPER.readTree(told.get(0).body());
  }

  private static long sentinels(Receiver receiver) {
    return receiver.requests.stream().filter(r -> r.body().contains("sentinel")).count();
  }

  @Test
  void aFailedSyncEventOfTheControllerReachesItsProjectWithItsRevision() throws Exception {
    events.accept(
        new StatusChange.Recorded(
            new Event(
                "web-prod",
                Instant.parse("2026-12-06T12:00:00Z"),
                EventType.WARNING,
                "SyncFailed",
                "sync #7 failed: the API server refused Deployment web"),
            "main (0123456789ab)"));
    // Routine events are not notifications.
    events.accept(
        new StatusChange.Recorded(
            new Event("web-prod", Instant.now(), EventType.NORMAL, "SyncStarted", "sync #8"),
            "main (0123456789ab)"));

    JsonNode body = only(shop);
    assertThat(body.get("event").asText()).isEqualTo("sync-failed");
    assertThat(body.get("application").asText()).isEqualTo("web-prod");
    assertThat(body.get("revision").asText()).isEqualTo("main (0123456789ab)");
    assertThat(body.get("message").asText())
        .isEqualTo("sync #7 failed: the API server refused Deployment web");
    assertThat(body.get("link").asText())
        .isEqualTo("https://tagflow.example.com/applications/web-prod");
    assertThat(sentinels(fallback)).isEqualTo(fallback.requests.size());
  }

  @Test
  void healthDegradedIsToldOnceWhenItBecomesSoNotWhileItStays() throws Exception {
    ApplicationStatus status =
        ApplicationStatus.unknown("web-prod", ApplicationStatus.Automation.of(true, true));
    ApplicationStatus healthy = status.withHealth(new HealthStatus(Health.HEALTHY, ""));
    ApplicationStatus degraded =
        status.withHealth(new HealthStatus(Health.DEGRADED, "Deployment web: 0/2 available"));

    // The first status after a start is where the application already was, not a change.
    events.accept(new StatusChange.Updated(degraded));
    events.accept(new StatusChange.Updated(healthy));
    events.accept(new StatusChange.Updated(degraded));
    events.accept(new StatusChange.Updated(degraded.withReconciledAt(Instant.now())));

    JsonNode body = only(shop);
    assertThat(body.get("event").asText()).isEqualTo("health-degraded");
    assertThat(body.get("message").asText())
        .isEqualTo("health is Degraded (was Healthy): Deployment web: 0/2 available");
  }

  @Test
  void aFailedRunReachesTheProjectsReadingItsRepositoryAndACancelledOneNobody() throws Exception {
    RunRecord failed =
        new RunRecord(
            "20261206-120000-1",
            "acme/environments",
            ".github/workflows/release.yml",
            "refs/tags/v1.2.3",
            "0123456789abcdef0123",
            "push",
            RunRecord.RunStatus.FAILURE,
            Instant.parse("2026-12-06T12:00:00Z"),
            Optional.of(Instant.parse("2026-12-06T12:03:00Z")),
            "run.log",
            Optional.empty());
    events.runFinished(
        new RunRecord(
            "20261206-110000-1",
            "acme/environments",
            ".github/workflows/release.yml",
            "refs/tags/v1.2.2",
            "0123456789abcdef0123",
            "push",
            RunRecord.RunStatus.CANCELLED,
            Instant.now(),
            Optional.of(Instant.now()),
            "run.log",
            Optional.empty()));
    events.runFinished(failed);

    JsonNode body = only(shop);
    assertThat(body.get("event").asText()).isEqualTo("run-failed");
    assertThat(body.get("run").asText()).isEqualTo("20261206-120000-1");
    assertThat(body.get("revision").asText()).isEqualTo("v1.2.3 (0123456789ab)");
    assertThat(body.get("message").asText())
        .isEqualTo("workflow .github/workflows/release.yml failed for v1.2.3");
    assertThat(body.get("link").asText())
        .isEqualTo("https://tagflow.example.com/runs/20261206-120000-1");
    assertThat(sentinels(fallback)).isEqualTo(fallback.requests.size());
  }

  @Test
  void anApprovalRequestOfARepositoryNoApplicationReadsReachesTheDefaultProject() throws Exception {
    PromotionDraft draft =
        PromotionDrafts.web123(
            "http://127.0.0.1:7070/git/acme/other-environments.git", 2, List.of("release-manager"));
    events.promotionCreated(
        new PromotionRecord(
            42,
            draft,
            PromotionRecord.PromotionState.PENDING,
            "waits for approval",
            Optional.empty(),
            List.of(),
            Instant.parse("2026-12-06T12:00:00Z"),
            Instant.parse("2026-12-06T12:00:00Z")));

    JsonNode body = only(fallback);
    assertThat(body.get("event").asText()).isEqualTo("approval-requested");
    assertThat(body.get("promotion").asText()).isEqualTo("42");
    assertThat(body.get("project").asText()).isEqualTo("default");
    assertThat(body.get("message").asText())
        .isEqualTo("promotion of web 1.2.3 to production waits for 2 approvals (release-manager)");
    assertThat(sentinels(shop)).isEqualTo(shop.requests.size());
  }
}
