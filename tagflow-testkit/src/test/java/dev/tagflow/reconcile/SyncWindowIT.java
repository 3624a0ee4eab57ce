package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.Application;
import dev.tagflow.health.HealthRule;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.schedule.CronSchedule;
import dev.tagflow.schedule.Selector;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deny window keeps automation (and people) from syncing while it is open, says so with the next
 * opening, and the application syncs by itself when it closes: the resync is 30 minutes, so only
 * the reconcile scheduled at the opening can do it.
 */
@ExtendWith(LocalClusterExtension.class)
class SyncWindowIT {

  @TempDir Path root;

  private final String name = "window-" + UUID.randomUUID().toString().substring(0, 8);
  private GitWorkTree repo;
  private Controller controller;

  @BeforeEach
  void open(LocalCluster cluster) {
    repo = GitWorkTree.init(root.resolve("env"));
    controller = new Controller(cluster, root.resolve("data"), Controller.options()).start();
  }

  @AfterEach
  void close() {
    controller.close();
  }

  /** A project that permits everything, with one window for every application. */
  static ProjectPolicy withWindow(SyncWindow window) {
    ProjectPolicy all = ProjectPolicy.permitAll();
    return new ProjectPolicy() {
      @Override
      public Optional<String> refusal(Application application, String cluster, String namespace) {
        return all.refusal(application, cluster, namespace);
      }

      @Override
      public List<HealthRule> healthRules(String project) {
        return all.healthRules(project);
      }

      @Override
      public List<SyncWindow.Scoped> syncWindows(String project) {
        return List.of(new SyncWindow.Scoped(window, Selector.all()));
      }
    };
  }

  @Test
  void anOpenDenyWindowHoldsAutomatedSyncAndRefusesAPersonThenItSyncsWhenTheWindowCloses(
      TestNamespace ns) {
    // A window started this minute, closing at least 30 s from now: long enough to see it hold.
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    ZonedDateTime minute = now.truncatedTo(ChronoUnit.MINUTES);
    Duration duration = Duration.ofMinutes(now.getSecond() < 30 ? 1 : 2);
    Instant closes = minute.plus(duration).toInstant();
    SyncWindow deny =
        new SyncWindow(
            SyncWindow.Kind.DENY,
            CronSchedule.parse(minute.getMinute() + " " + minute.getHour() + " * * *"),
            duration,
            ZoneId.of("UTC"),
            false);
    controller.destinations.setProjects(withWindow(deny));

    runAutomatedApp(ns);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> controller.status(name).condition("SyncWindowClosed").isPresent());
    ApplicationStatus held = controller.status(name);
    assertThat(held.sync().status()).isEqualTo(SyncCode.OUT_OF_SYNC);
    assertThat(held.condition("SyncWindowClosed").orElseThrow().message())
        .contains("deny window '" + deny.schedule().expression() + "'")
        .contains("the next window opens at " + closes);
    assertThat(controller.statuses().history(name)).isEmpty();
    assertThat(controller.reconciler.syncWindow(name, false))
        .isInstanceOfSatisfying(
            WindowVerdict.Closed.class, c -> assertThat(c.opensAt()).contains(closes));

    // A person is refused too (the window has no manualSync), with the same opening.
    assertThatThrownBy(() -> controller.reconciler.sync(name, false, false))
        .isInstanceOf(SyncWindowClosedException.class)
        .hasMessageContaining("may not sync now")
        .hasMessageContaining("the next window opens at " + closes);

    // Reconciled again while closed: still one event, not one per reconcile.
    Instant reconciled = held.reconciledAt().orElseThrow();
    controller.reconciler.refresh(name);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> controller.status(name).reconciledAt().orElseThrow().isAfter(reconciled));
    if (Instant.now().isBefore(closes)) {
      assertThat(controller.status(name).condition("SyncWindowClosed")).isPresent();
      assertThat(controller.statuses().history(name)).isEmpty();
    }
    assertThat(controller.statuses().events(name, 50))
        .filteredOn(e -> e.reason().equals("SyncWindowClosed"))
        .hasSize(1);

    String head = repo.git("rev-parse", "HEAD").strip();
    await()
        .atMost(Duration.ofSeconds(180))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.sync().revision().orElseThrow().commit()).isEqualTo(head);
            });
    assertThat(controller.status(name).condition("SyncWindowClosed")).isEmpty();
    assertThat(controller.statuses().history(name))
        .extracting(e -> e.sync().trigger())
        .containsExactly(SyncTrigger.AUTOMATION);
    assertThat(controller.statuses().history(name).getFirst().sync().startedAt())
        .isAfterOrEqualTo(closes);
  }

  /** An automated application of one ConfigMap, not yet deployed: OutOfSync. */
  private void runAutomatedApp(TestNamespace ns) {
    repo.write("environments/dev/settings.yaml", AutomatedSyncIT.configMap("settings", "one"));
    repo.commit("settings");
    controller.poll(repo.url());
    controller.run(
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: environments/dev}
              destination: {cluster: local, namespace: %s}
              syncPolicy: {automated: {prune: true, selfHeal: true}}
            """
                .formatted(name, repo.url(), ns.name())));
  }

  @Test
  void aDenyWindowWithManualSyncHoldsAutomationButLetsAPersonSync(TestNamespace ns) {
    controller.destinations.setProjects(
        withWindow(
            new SyncWindow(
                SyncWindow.Kind.DENY,
                CronSchedule.parse("* * * * *"),
                Duration.ofHours(1),
                ZoneId.of("UTC"),
                true)));
    runAutomatedApp(ns);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> controller.status(name).condition("SyncWindowClosed").isPresent());
    assertThat(controller.status(name).condition("SyncWindowClosed").orElseThrow().message())
        .contains("no window opens within the time looked ahead");
    assertThat(controller.statuses().history(name)).isEmpty();

    controller.reconciler.sync(name, false, false);

    String head = repo.git("rev-parse", "HEAD").strip();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.sync().revision().orElseThrow().commit()).isEqualTo(head);
            });
    assertThat(controller.statuses().history(name))
        .extracting(e -> e.sync().trigger())
        .containsExactly(SyncTrigger.USER);
  }

  @Test
  void aDenyWindowHoldsSelfHealUntilItIsLifted(KubernetesClient client, TestNamespace ns) {
    runAutomatedApp(ns);
    String head = repo.git("rev-parse", "HEAD").strip();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> controller.status(name).sync().status() == SyncCode.SYNCED);
    controller.destinations.setProjects(
        withWindow(
            new SyncWindow(
                SyncWindow.Kind.DENY,
                CronSchedule.parse("* * * * *"),
                Duration.ofHours(1),
                ZoneId.of("UTC"),
                false)));

    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("settings")
        .edit(c -> new ConfigMapBuilder(c).addToData("value", "by hand").build());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(controller.status(name).condition("SyncWindowClosed"))
                    .get()
                    .satisfies(c -> assertThat(c.message()).startsWith("self-heal waits: ")));
    assertThat(controller.status(name).sync().status()).isEqualTo(SyncCode.OUT_OF_SYNC);
    assertThat(controller.statuses().history(name))
        .extracting(e -> e.sync().trigger())
        .containsExactly(SyncTrigger.AUTOMATION);

    // The window is lifted (a settings reload compares every application again): it heals.
    controller.destinations.setProjects(ProjectPolicy.permitAll());
    controller.reconciler.refresh(name);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "one"
                    .equals(
                        client
                            .configMaps()
                            .inNamespace(ns.name())
                            .withName("settings")
                            .get()
                            .getData()
                            .get("value")));
    assertThat(controller.statuses().history(name).getFirst().sync().trigger())
        .isEqualTo(SyncTrigger.SELF_HEAL);
    assertThat(controller.status(name).sync().revision().orElseThrow().commit()).isEqualTo(head);
  }
}
