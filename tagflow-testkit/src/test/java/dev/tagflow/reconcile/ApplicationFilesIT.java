package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationRegistry.SourceProblem;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Applications from a directory of files: one bad file or spec hurts only itself; removal. */
@ExtendWith(LocalClusterExtension.class)
class ApplicationFilesIT {

  @TempDir Path root;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private GitWorkTree repo;
  private Controller controller;
  private ApplicationFiles files;
  private Path apps;

  @BeforeEach
  void open(LocalCluster cluster) throws IOException {
    repo = GitWorkTree.init(root.resolve("env"));
    apps = Files.createDirectories(root.resolve("apps"));
    controller = new Controller(cluster, root.resolve("data"), Controller.options()).start();
    files = new ApplicationFiles(apps, controller.registry, new ApplicationLoader());
  }

  @AfterEach
  void close() {
    files.close();
    controller.close();
  }

  private void writeApp(String name, String path, String namespace, String syncOptions)
      throws IOException {
    Files.writeString(
        apps.resolve(name + ".yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "%s", targetRevision: main, path: %s}
          destination: {server: "https://kubernetes.default.svc", namespace: %s}
          syncPolicy:
            automated: {prune: true}
            syncOptions: [%s]
        """
            .formatted(name, repo.url(), path, namespace, syncOptions));
  }

  private void awaitSyncedAndHealthy(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.health().health()).isEqualTo(Health.HEALTHY);
            });
  }

  private boolean exists(KubernetesClient client, String namespace, String configMap) {
    return client.configMaps().inNamespace(namespace).withName(configMap).get() != null;
  }

  @Test
  void anInvalidFileOrSpecAffectsOnlyItselfWhileTheOthersSync(
      KubernetesClient client, TestNamespace ns) throws IOException {
    repo.write("a/settings.yaml", AutomatedSyncIT.configMap("a-settings", "a"));
    repo.write("b/settings.yaml", AutomatedSyncIT.configMap("b-settings", "b"));
    repo.commit("a and b");
    writeApp("a-" + suffix, "a", ns.name(), "CreateNamespace=true");
    writeApp("b-" + suffix, "b", ns.name(), "ServerSideApply=false");
    Files.writeString(apps.resolve("broken.yaml"), "apiVersion: tagflow.dev/v1alpha1\nkind: [\n");

    files.load();

    awaitSyncedAndHealthy("a-" + suffix);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(controller.status("b-" + suffix).condition("InvalidSpec"))
                    .get()
                    .satisfies(c -> assertThat(c.message()).contains("ServerSideApply=false")));
    assertThat(controller.statuses().problems())
        .singleElement()
        .satisfies(
            (SourceProblem p) -> {
              assertThat(p.where()).endsWith("broken.yaml");
              assertThat(p.message()).contains("broken.yaml:");
            });
    assertThat(exists(client, ns.name(), "a-settings")).isTrue();
    assertThat(exists(client, ns.name(), "b-settings")).isFalse();
  }

  @Test
  void aFileThatBreaksKeepsItsApplicationRunningAsLastRead(TestNamespace ns) throws IOException {
    repo.write("a/settings.yaml", AutomatedSyncIT.configMap("a-settings", "a"));
    repo.commit("a");
    writeApp("a-" + suffix, "a", ns.name(), "");
    files.load();
    awaitSyncedAndHealthy("a-" + suffix);

    Files.writeString(apps.resolve("a-" + suffix + ".yaml"), "kind: Application\nspec: [\n");
    files.load();

    assertThat(controller.registry.get("a-" + suffix)).isPresent();
    assertThat(controller.statuses().problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("keep running as last read"));
    assertThat(controller.statuses().events("a-" + suffix, 10))
        .anySatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo("ApplicationSourceInvalid");
              assertThat(e.message()).contains("a-" + suffix + ".yaml:");
            });
  }

  @Test
  void removingTheFileOfAnApplicationThatPrunesDeletesItsObjects(
      KubernetesClient client, TestNamespace ns) throws IOException {
    repo.write("a/settings.yaml", AutomatedSyncIT.configMap("a-settings", "a"));
    repo.write("b/settings.yaml", AutomatedSyncIT.configMap("b-settings", "b"));
    repo.commit("a and b");
    writeApp("a-" + suffix, "a", ns.name(), "");
    writeApp("b-" + suffix, "b", ns.name(), "");
    files.load();
    awaitSyncedAndHealthy("a-" + suffix);
    awaitSyncedAndHealthy("b-" + suffix);

    Files.delete(apps.resolve("a-" + suffix + ".yaml"));
    files.load();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(controller.statuses().get("a-" + suffix)).isEmpty();
              assertThat(exists(client, ns.name(), "a-settings")).isFalse();
            });
    assertThat(exists(client, ns.name(), "b-settings")).isTrue();
    assertThat(controller.status("b-" + suffix).sync().status()).isEqualTo(SyncCode.SYNCED);
    assertThat(controller.statuses().history("a-" + suffix)).isEmpty();
  }
}
