package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.Application;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Git moves, the controller follows: automated sync, and no work for what did not change. */
@ExtendWith(LocalClusterExtension.class)
class AutomatedSyncIT {

  @TempDir Path root;

  private final String name = "auto-" + UUID.randomUUID().toString().substring(0, 8);
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

  static String deployment(String name, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, labels: {app: %s, team: shop}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers: [{name: main, image: "%s"}]
        """
        .formatted(name, name, name, name, image);
  }

  static String configMap(String name, String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s}
        data: {value: "%s"}
        """
        .formatted(name, value);
  }

  private Application app(String namespace, String syncPolicy) {
    return Controller.application(
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: environments/dev}
          destination: {cluster: local, namespace: %s}
          syncPolicy: %s
        """
            .formatted(name, repo.url(), namespace, syncPolicy));
  }

  private String head() {
    return repo.git("rev-parse", "HEAD").strip();
  }

  private void awaitSyncedAndHealthyAt(String commit) {
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.sync().revision().orElseThrow().commit()).isEqualTo(commit);
              assertThat(status.health().health()).isEqualTo(Health.HEALTHY);
              assertThat(status.operation().map(o -> o.phase().isFinal()).orElse(true)).isTrue();
            });
  }

  @Test
  void aCommitToTheEnvironmentRepositoryIsSyncedAndReportsSyncedAndHealthyAtTheNewRevision(
      KubernetesClient client, TestNamespace ns) {
    repo.write("environments/dev/web.yaml", deployment("web", "example.com/web:1.0.0"));
    repo.write("environments/dev/settings.yaml", configMap("settings", "one"));
    repo.commit("web 1.0.0");
    controller.poll(repo.url());
    controller.run(app(ns.name(), "{automated: {prune: true}}"));
    awaitSyncedAndHealthyAt(head());

    repo.write("environments/dev/web.yaml", deployment("web", "example.com/web:1.1.0"));
    repo.commit("web 1.1.0");
    controller.poll(repo.url());
    awaitSyncedAndHealthyAt(head());

    ApplicationStatus status = controller.status(name);
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getImage())
        .isEqualTo("example.com/web:1.1.0");
    assertThat(status.deployed().orElseThrow().revision().commit()).isEqualTo(head());
    assertThat(controller.statuses().history(name))
        .extracting(e -> e.sync().trigger(), e -> e.sync().result(), e -> e.sync().commit())
        .startsWith(
            org.assertj.core.groups.Tuple.tuple(
                SyncTrigger.AUTOMATION, SyncResult.SUCCEEDED, head()));
    assertThat(controller.statuses().history(name)).hasSize(2);
    assertThat(controller.statuses().events(name, 50))
        .extracting(e -> e.reason())
        .contains("SyncStarted", "SyncSucceeded");
  }

  @Test
  void aCommitElsewhereInTheRepositoryRendersNothingAndSendsNoRequest(TestNamespace ns)
      throws InterruptedException {
    repo.write("environments/dev/settings.yaml", configMap("settings", "one"));
    repo.write("environments/dev/flags.yaml", configMap("flags", "on"));
    repo.commit("settings");
    controller.poll(repo.url());
    Application application = app(ns.name(), "{automated: {prune: true}}");
    controller.run(application);
    awaitSyncedAndHealthyAt(head());
    // The watch events of the sync's own applies are compared too; then it is steady.
    assertThat(controller.reconciler.awaitIdle(Duration.ofSeconds(30))).isTrue();
    long renders = controller.renders();
    long dryRuns = controller.dryRuns(application);
    long requests = controller.requests();
    long syncs = controller.statuses().history(name).size();

    repo.write("environments/staging/notes.md", "not read by the dev application\n");
    repo.commit("elsewhere");
    controller.poll(repo.url());
    awaitSyncedAndHealthyAt(head());

    long rendersAfterCommit = controller.renders();
    long dryRunsAfterCommit = controller.dryRuns(application);
    long requestsAfterCommit = controller.requests();
    Instant compared = controller.status(name).reconciledAt().orElseThrow();
    // What a periodic resync does in steady state.
    controller.reconciler.refresh(name);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> controller.status(name).reconciledAt().orElseThrow().isAfter(compared));

    assertThat(rendersAfterCommit).isEqualTo(renders);
    assertThat(dryRunsAfterCommit).isEqualTo(dryRuns);
    assertThat(requestsAfterCommit).isEqualTo(requests);
    assertThat(controller.statuses().history(name)).hasSize((int) syncs);
    assertThat(controller.status(name).deployed().orElseThrow().revision().commit())
        .isEqualTo(head());
    assertThat(controller.renders()).isEqualTo(renders);
    assertThat(controller.dryRuns(application)).isEqualTo(dryRuns);
    assertThat(controller.requests()).isEqualTo(requests);
  }

  @Test
  void aManualApplicationIsReportedOutOfSyncAndLeftUntilAPersonSyncsIt(
      KubernetesClient client, TestNamespace ns) {
    repo.write("environments/dev/settings.yaml", configMap("settings", "one"));
    repo.commit("settings");
    controller.poll(repo.url());
    controller.run(app(ns.name(), "{}"));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> controller.status(name).sync().status() == SyncCode.OUT_OF_SYNC);
    boolean createdBeforeAsked =
        client.configMaps().inNamespace(ns.name()).withName("settings").get() != null;
    controller.reconciler.sync(name, false, false);
    awaitSyncedAndHealthyAt(head());

    assertThat(createdBeforeAsked).isFalse();
    assertThat(controller.statuses().history(name))
        .extracting(HistoryEntry::sync)
        .extracting(s -> s.trigger())
        .containsExactly(SyncTrigger.USER);
  }
}
