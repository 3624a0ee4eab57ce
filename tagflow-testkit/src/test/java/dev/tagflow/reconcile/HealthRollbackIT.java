package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.schedule.CronSchedule;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback policy: a revision that does not become Healthy is rolled back to the last Healthy
 * one, blocked for automated sync, and reverted in the environment repository; a normal rollout (a
 * Deployment with an HPA, Progressing until its Pods' first metrics) is not.
 */
@ExtendWith(LocalClusterExtension.class)
class HealthRollbackIT {

  @TempDir Path root;

  private final String name = "gate-" + UUID.randomUUID().toString().substring(0, 8);
  private String origin;
  private GitWorkTree work;
  private Controller controller;

  @BeforeEach
  void open(LocalCluster cluster) {
    // The environment repository as a team has it: a bare remote that people push to.
    Path bare = root.resolve("environments.git");
    GitWorkTree.init(root.resolve("init"))
        .git("init", "-q", "--bare", "-b", "main", bare.toString());
    origin = bare.toString();
    work = GitWorkTree.init(root.resolve("work"));
    work.git("remote", "add", "origin", origin);
    controller = new Controller(cluster, root.resolve("data"), Controller.options()).start();
  }

  @AfterEach
  void close() {
    controller.close();
  }

  static String deployment(String image, boolean ready) {
    String readyLabel = ready ? "" : ", tagflow.dev/testkit-ready: \"false\"";
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web%s}}
            spec:
              containers:
              - name: main
                image: "%s"
                resources:
                  requests: {cpu: 100m, memory: 64Mi}
        """
        .formatted(readyLabel, image);
  }

  static final String HPA =
      """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: web}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        minReplicas: 1
        maxReplicas: 3
        metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
      """;

  private String push(String message) {
    work.commit(message);
    work.git("push", "-q", "origin", "HEAD:main");
    return work.git("rev-parse", "HEAD").strip();
  }

  /** The first push, seen by the poller: what later pushes are compared with. */
  private String pushFirst(String message) {
    String commit = push(message);
    controller.poll(origin);
    return commit;
  }

  /** Brings the work tree to what the remote has (Tagflow's revert commit included). */
  private String pull() {
    work.git("fetch", "-q", "origin");
    work.git("reset", "-q", "--hard", "origin/main");
    return work.git("rev-parse", "HEAD").strip();
  }

  private void run(String policy) {
    controller.run(
        Controller.application(
            name,
            origin,
            "app",
            namespace,
            "{automated: {prune: true}, rollback: " + policy + "}"));
  }

  private String namespace;

  private void awaitSyncedAndHealthyAt(String commit) {
    await()
        .atMost(Duration.ofSeconds(180))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.sync().revision().orElseThrow().commit()).isEqualTo(commit);
              assertThat(status.health().health()).isEqualTo(Health.HEALTHY);
              assertThat(status.operation().map(o -> o.phase().isFinal()).orElse(true)).isTrue();
            });
  }

  private List<HistoryEntry> history() {
    return controller.statuses().history(name);
  }

  private List<String> reasons() {
    return controller.statuses().events(name, 200).stream().map(Event::reason).toList();
  }

  private String image(KubernetesClient client) {
    return client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName("web")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst()
        .getImage();
  }

  @Test
  void rollsBackWhenDeploymentNeverBecomesReadyAndRevertsTheCommitInGit(
      KubernetesClient client, TestNamespace ns) {
    namespace = ns.name();
    work.write("app/web.yaml", deployment("example.com/web:1.0.0", true));
    String good = pushFirst("web 1.0.0");
    run("{onDegraded: true, healthTimeout: 15s, revertCommit: true}");
    awaitSyncedAndHealthyAt(good);

    work.write("app/web.yaml", deployment("example.com/web:2.0.0", false));
    String bad = push("web 2.0.0, whose pods never become ready");
    controller.poll(origin);

    // The rollback's sync may end before its revert is pushed, in the same reconcile: wait for
    // both.
    await()
        .atMost(Duration.ofSeconds(180))
        .untilAsserted(
            () -> {
              assertThat(history())
                  .anySatisfy(
                      e -> {
                        assertThat(e.sync().trigger()).isEqualTo(SyncTrigger.ROLLBACK_POLICY);
                        assertThat(e.sync().result()).isEqualTo(SyncResult.SUCCEEDED);
                      });
              assertThat(reasons()).contains("RevertCommitted");
            });
    HistoryEntry rollback =
        history().stream()
            .filter(e -> e.sync().trigger() == SyncTrigger.ROLLBACK_POLICY)
            .findFirst()
            .orElseThrow();
    HistoryEntry goodSync = history().getLast();
    assertThat(rollback.sync().commit()).isEqualTo(good);
    assertThat(rollback.sync().manifestsHash()).isEqualTo(goodSync.sync().manifestsHash());
    assertThat(controller.status(name).automation().blocked())
        .extracting(b -> b.commit())
        .containsExactly(bad);
    assertThat(controller.status(name).automation().disabled()).isEmpty();

    // Git holds the revert: the next commit on main undoes the bad one under app/.
    String reverted = pull();
    assertThat(work.git("rev-parse", "HEAD~1").strip()).isEqualTo(bad);
    assertThat(work.git("log", "-1", "--format=%B"))
        .contains("Roll back " + name)
        .contains("This reverts commit " + bad);
    assertThat(work.git("show", "HEAD:app/web.yaml"))
        .isEqualTo(deployment("example.com/web:1.0.0", true));

    // The next reconciles are Synced at the revert; the bad revision is never applied again.
    awaitSyncedAndHealthyAt(reverted);
    assertThat(controller.status(name).condition(PolicyRollback.ROLLED_BACK))
        .get()
        .satisfies(
            c ->
                assertThat(c.message())
                    .contains("was not Healthy within 15s after sync #2 started")
                    .contains("re-applied sync #1")
                    .contains("Git: reverted 1 commit(s) by " + reverted.substring(0, 12)));
    assertThat(image(client)).isEqualTo("example.com/web:1.0.0");
    assertThat(history()).filteredOn(e -> e.sync().commit().equals(bad)).hasSize(1);
    assertThat(reasons())
        .contains("HealthGateFailed", "RevisionBlocked", "RollbackStarted", "RevertCommitted");

    // A newer good commit deploys.
    work.write("app/web.yaml", deployment("example.com/web:1.1.0", true));
    String newer = push("web 1.1.0");
    controller.poll(origin);
    awaitSyncedAndHealthyAt(newer);
    assertThat(image(client)).isEqualTo("example.com/web:1.1.0");
    assertThat(history().getFirst().sync().trigger()).isEqualTo(SyncTrigger.AUTOMATION);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> controller.status(name).condition(HealthGate.CONDITION).isEmpty());
    assertThat(history()).filteredOn(e -> e.sync().commit().equals(bad)).hasSize(1);
  }

  @Test
  void aDenyWindowOpenedDuringABadRolloutDoesNotHoldItsRollback(
      KubernetesClient client, TestNamespace ns) {
    namespace = ns.name();
    work.write("app/web.yaml", deployment("example.com/web:1.0.0", true));
    String good = pushFirst("web 1.0.0");
    run("{healthTimeout: 15s}");
    awaitSyncedAndHealthyAt(good);

    work.write("app/web.yaml", deployment("example.com/web:2.0.0", false));
    String bad = push("web 2.0.0, whose pods never become ready");
    controller.poll(origin);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> history().stream().anyMatch(e -> e.sync().commit().equals(bad)));
    // A freeze starts while the bad release rolls out: syncs are closed from now on, by hand too.
    controller.destinations.setProjects(
        SyncWindowIT.withWindow(
            new SyncWindow(
                SyncWindow.Kind.DENY,
                CronSchedule.parse("* * * * *"),
                Duration.ofHours(1),
                ZoneId.of("UTC"),
                false)));

    // Tagflow's difference from Argo CD: the rollback finishes a change the window let in.
    await()
        .atMost(Duration.ofSeconds(180))
        .untilAsserted(
            () ->
                assertThat(history())
                    .anySatisfy(
                        e -> {
                          assertThat(e.sync().trigger()).isEqualTo(SyncTrigger.ROLLBACK_POLICY);
                          assertThat(e.sync().result()).isEqualTo(SyncResult.SUCCEEDED);
                          assertThat(e.sync().commit()).isEqualTo(good);
                        }));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> image(client).equals("example.com/web:1.0.0"));
    assertThat(controller.reconciler.syncWindow(name, true))
        .isInstanceOf(dev.tagflow.schedule.WindowVerdict.Closed.class);
  }

  @Test
  void aRevertThatConflictsFallsBackToACommitOfTheGoodFiles(
      KubernetesClient client, TestNamespace ns) {
    namespace = ns.name();
    work.write("app/web.yaml", deployment("example.com/web:1.0.0", true));
    String good = pushFirst("web 1.0.0");
    run("{healthTimeout: 15s, revertCommit: true}");
    awaitSyncedAndHealthyAt(good);

    work.write("app/web.yaml", deployment("example.com/web:2.0.0", false));
    String bad = push("web 2.0.0, whose pods never become ready");
    controller.poll(origin);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> history().getFirst().sync().commit().equals(bad));
    // Pushed while the bad revision is judged, and not announced: it changes the same line, so
    // reverting the bad commit on top of it conflicts.
    work.write("app/web.yaml", deployment("example.com/web:2.0.1", false));
    String later = push("web 2.0.1");

    await().atMost(Duration.ofSeconds(180)).until(() -> reasons().contains("RevertCommitted"));
    String head = pull();
    assertThat(work.git("rev-parse", "HEAD~1").strip()).isEqualTo(later);
    assertThat(work.git("log", "-1", "--format=%B"))
        .contains("Writes the files of " + good + " under app")
        .contains("a revert did not apply cleanly");
    assertThat(work.git("show", "HEAD:app/web.yaml"))
        .isEqualTo(deployment("example.com/web:1.0.0", true));
    controller.poll(origin);
    awaitSyncedAndHealthyAt(head);
    assertThat(image(client)).isEqualTo("example.com/web:1.0.0");
    assertThat(history()).extracting(e -> e.sync().commit()).doesNotContain(later);
  }

  @Test
  void aDeploymentWithAnHpaRollsOutWithoutARollback(TestNamespace ns) {
    namespace = ns.name();
    List<HealthStatus> healths = new CopyOnWriteArrayList<>();
    controller
        .statuses()
        .subscribe(
            change -> {
              if (change instanceof StatusChange.Updated updated
                  && updated.status().application().equals(name)) {
                healths.add(updated.status().health());
              }
            });
    work.write("app/web.yaml", deployment("example.com/web:1.0.0", true));
    work.write("app/hpa.yaml", HPA);
    String first = pushFirst("web 1.0.0 with an HPA");
    run("{onDegraded: true, healthTimeout: 3m, revertCommit: true}");
    awaitSyncedAndHealthyAt(first);
    await().atMost(Duration.ofSeconds(60)).until(() -> reasons().contains("HealthGatePassed"));

    work.write("app/web.yaml", deployment("example.com/web:1.0.1", true));
    String second = push("web 1.0.1");
    controller.poll(origin);
    awaitSyncedAndHealthyAt(second);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> controller.status(name).condition(HealthGate.CONDITION).isEmpty());

    assertThat(history())
        .extracting(e -> e.sync().trigger())
        .containsExactly(SyncTrigger.AUTOMATION, SyncTrigger.AUTOMATION);
    assertThat(reasons()).doesNotContain("HealthGateFailed", "RollbackStarted");
    assertThat(controller.status(name).automation().blocked()).isEmpty();
    assertThat(pull()).isEqualTo(second);
    // What the gate let through: the new HPA waited for its Pods' first metrics after its sync
    // ended (the sync does not wait for its last wave's health), and that wait is Progressing, not
    // Degraded, whatever time the metrics pipeline takes.
    assertThat(healths)
        .anySatisfy(
            h ->
                assertThat(h.message())
                    .contains("HorizontalPodAutoscaler")
                    .contains("waiting for its Pods' first metrics"));
    assertThat(healths).noneSatisfy(h -> assertThat(h.health()).isEqualTo(Health.DEGRADED));
  }

  @Test
  void anApplicationFollowingTagsIsRolledBackAndSaysWhyGitWasNotReverted(TestNamespace ns) {
    namespace = ns.name();
    work.write("app/web.yaml", deployment("example.com/web:1.0.0", true));
    String good = push("web 1.0.0");
    work.git("tag", "v1.0.0");
    work.git("push", "-q", "origin", "v1.0.0");
    controller.poll(origin);
    controller.run(
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: ">=1.0.0", path: app}
              destination: {cluster: local, namespace: %s}
              syncPolicy:
                automated: {}
                rollback: {healthTimeout: 15s, revertCommit: true}
            """
                .formatted(name, origin, namespace)));
    awaitSyncedAndHealthyAt(good);

    work.write("app/web.yaml", deployment("example.com/web:1.1.0", false));
    String bad = push("web 1.1.0, whose pods never become ready");
    work.git("tag", "v1.1.0");
    work.git("push", "-q", "origin", "v1.1.0");
    controller.poll(origin);

    await()
        .atMost(Duration.ofSeconds(180))
        .untilAsserted(
            () ->
                assertThat(controller.status(name).condition(PolicyRollback.REVERT_FAILED))
                    .get()
                    .satisfies(
                        c ->
                            assertThat(c.message())
                                .contains("targetRevision '>=1.0.0' is not a branch")));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(history().getFirst().sync())
                    .satisfies(
                        s -> {
                          assertThat(s.trigger()).isEqualTo(SyncTrigger.ROLLBACK_POLICY);
                          assertThat(s.commit()).isEqualTo(good);
                          assertThat(s.result()).isEqualTo(SyncResult.SUCCEEDED);
                        }));
    assertThat(pull()).isEqualTo(bad);
    assertThat(controller.status(name).automation().blocked())
        .extracting(b -> b.commit())
        .containsExactly(bad);
    assertThat(reasons()).contains("RevertFailed").doesNotContain("RevertCommitted");
  }
}
