package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncResult;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** dependsOn waits and says why; retry follows the Application's policy and then stops. */
@ExtendWith(LocalClusterExtension.class)
class DependsOnIT {

  @TempDir Path root;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String db = "db-" + suffix;
  private final String front = "front-" + suffix;
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

  private String app(String name, String path, String namespace, String rest) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: %s}
          destination: {cluster: local, namespace: %s}
        %s"""
        .formatted(name, repo.url(), path, namespace, rest.indent(2));
  }

  @Test
  void anApplicationWaitsForItsDependencySaysWhyAndThenProceeds(
      KubernetesClient client, TestNamespace ns) {
    repo.write("db/settings.yaml", AutomatedSyncIT.configMap("db-settings", "db"));
    repo.write("front/settings.yaml", AutomatedSyncIT.configMap("front-settings", "front"));
    repo.commit("db and front");
    controller.poll(repo.url());

    controller.run(
        Controller.application(app(db, "db", ns.name(), "")),
        Controller.application(
            app(
                front,
                "front",
                ns.name(),
                "syncPolicy: {automated: {}}\ndependsOn: [" + db + "]")));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(controller.status(front).condition("DependencyNotReady"))
                    .get()
                    .satisfies(
                        c ->
                            assertThat(c.message())
                                .isEqualTo("waits for '" + db + "' is OutOfSync")));
    boolean frontCreatedWhileWaiting =
        client.configMaps().inNamespace(ns.name()).withName("front-settings").get() != null;
    controller.reconciler.sync(db, false, false);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(front);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.health().health()).isEqualTo(Health.HEALTHY);
              assertThat(status.condition("DependencyNotReady")).isEmpty();
            });
    assertThat(frontCreatedWhileWaiting).isFalse();
    HistoryEntry dbSync = controller.statuses().history(db).getFirst();
    HistoryEntry frontSync = controller.statuses().history(front).getFirst();
    assertThat(frontSync.sync().startedAt())
        .isAfterOrEqualTo(dbSync.sync().finishedAt().orElseThrow());
  }

  @Test
  void aFailingSyncIsRetriedAsTheRetryPolicySaysAndThenLeftForAPerson(TestNamespace ns) {
    String missing = ns.name() + "-missing";
    repo.write(
        "broken/settings.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: %s}
        data: {value: "x"}
        """
            .formatted(missing));
    repo.commit("into a namespace that does not exist");
    controller.poll(repo.url());

    controller.run(
        Controller.application(
            app(
                db,
                "broken",
                ns.name(),
                """
                syncPolicy:
                  automated: {}
                  retry: {limit: 2, backoff: {duration: 1s, factor: 2, maxDuration: 10s}}
                """)));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(controller.status(db).condition("SyncFailed"))
                    .get()
                    .satisfies(c -> assertThat(c.message()).contains("retries used up")));
    List<HistoryEntry> history = controller.statuses().history(db);

    assertThat(history)
        .extracting(e -> e.sync().result())
        .containsExactly(SyncResult.FAILED, SyncResult.FAILED, SyncResult.FAILED);
    assertThat(history.get(0).sync().startedAt())
        .isAfterOrEqualTo(history.get(1).sync().finishedAt().orElseThrow().plusMillis(1_600));
    assertThat(controller.statuses().events(db, 50))
        .extracting(e -> e.reason())
        .filteredOn("SyncFailed"::equals)
        .hasSize(3);
  }
}
