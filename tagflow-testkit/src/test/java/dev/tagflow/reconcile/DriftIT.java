package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.ObjectStatus;
import dev.tagflow.reconcile.ApplicationStatus.ObjectSync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A person edits a live object by hand: healed with selfHeal, reported and left without. */
@ExtendWith(LocalClusterExtension.class)
class DriftIT {

  @TempDir Path root;

  private final String name = "drift-" + UUID.randomUUID().toString().substring(0, 8);
  private LocalCluster cluster;
  private GitWorkTree repo;
  private Controller controller;

  @BeforeEach
  void open(LocalCluster cluster) {
    this.cluster = cluster;
    repo = GitWorkTree.init(root.resolve("env"));
    // The default grace: two edits by hand a moment apart fall in it on a loaded machine too.
    controller =
        new Controller(
                cluster,
                root.resolve("data"),
                Controller.options().withSelfHealGrace(Duration.ofSeconds(5)))
            .start();
  }

  @AfterEach
  void close() {
    controller.close();
  }

  private void syncWeb(String namespace, String automated) {
    repo.write(
        "environments/dev/web.yaml", AutomatedSyncIT.deployment("web", "example.com/web:1.0.0"));
    repo.commit("web");
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
              syncPolicy: {automated: %s}
            """
                .formatted(name, repo.url(), namespace, automated)));
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.health().health()).isEqualTo(Health.HEALTHY);
            });
  }

  /** Runs kubectl against the test cluster, as a person at a terminal would. */
  private void kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(cluster.binaries().kubectl().toString());
    command.add("--kubeconfig=" + cluster.kubeconfig());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Deployment web(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).withName("web").get();
  }

  private List<HistoryEntry> heals() {
    return controller.statuses().history(name).stream()
        .filter(e -> e.sync().trigger() == SyncTrigger.SELF_HEAL)
        .toList();
  }

  @Test
  void aBurstOfHandEditsIsHealedOnceAfterTheGracePeriod(KubernetesClient client, TestNamespace ns) {
    syncWeb(ns.name(), "{selfHeal: true}");

    kubectl("scale", "deployment/web", "-n", ns.name(), "--replicas=3");
    kubectl("label", "deployment/web", "-n", ns.name(), "team=payments", "--overwrite");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Deployment web = web(client, ns.name());
              assertThat(web.getSpec().getReplicas()).isEqualTo(1);
              assertThat(web.getMetadata().getLabels()).containsEntry("team", "shop");
              assertThat(controller.status(name).sync().status()).isEqualTo(SyncCode.SYNCED);
            });
    assertThat(heals()).hasSize(1);
    assertThat(controller.statuses().events(name, 50))
        .extracting(Event::reason)
        .contains("DriftDetected", "DriftHealed");
  }

  @Test
  void withoutSelfHealDriftIsReportedWithItsFieldAndManagerAndLeftAlone(
      KubernetesClient client, TestNamespace ns) {
    syncWeb(ns.name(), "{prune: true}");

    kubectl("scale", "deployment/web", "-n", ns.name(), "--replicas=3");

    ObjectRef web = new ObjectRef("apps/v1", "Deployment", ns.name(), "web");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.OUT_OF_SYNC);
              assertThat(status.condition("Drift")).isPresent();
            });
    ApplicationStatus status = controller.status(name);
    ObjectStatus drifted = status.object(web).orElseThrow();
    assertThat(drifted.sync()).isEqualTo(ObjectSync.OUT_OF_SYNC);
    assertThat(drifted.drift())
        .anySatisfy(
            field -> {
              assertThat(field.path()).isEqualTo("spec.replicas");
              assertThat(field.managers()).anySatisfy(m -> assertThat(m).startsWith("kubectl"));
            });
    assertThat(status.condition("Drift").orElseThrow().message())
        .contains("Deployment/" + ns.name() + "/web: spec.replicas (by kubectl")
        .contains("selfHeal is off");
    assertThat(controller.statuses().events(name, 50))
        .extracting(Event::reason)
        .contains("DriftDetected");
    assertThat(web(client, ns.name()).getSpec().getReplicas()).isEqualTo(3);
    assertThat(heals()).isEmpty();
  }
}
