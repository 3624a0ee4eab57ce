package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tagflow.TagflowException;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A person rolls back to a recorded sync: exactly its manifests, and automation off. */
@ExtendWith(LocalClusterExtension.class)
class RollbackIT {

  @TempDir Path root;

  private final String name = "rollback-" + UUID.randomUUID().toString().substring(0, 8);
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

  private String head() {
    return repo.git("rev-parse", "HEAD").strip();
  }

  private void commitValue(String value) {
    repo.write("app/settings.yaml", AutomatedSyncIT.configMap("settings", value));
    repo.commit("settings " + value);
    controller.poll(repo.url());
  }

  private String value(KubernetesClient client, String namespace) {
    var settings = client.configMaps().inNamespace(namespace).withName("settings").get();
    return settings == null ? null : settings.getData().get("value");
  }

  private void awaitSyncedAt(String commit) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.sync().revision().orElseThrow().commit()).isEqualTo(commit);
              assertThat(status.operation().map(o -> o.phase().isFinal()).orElse(true)).isTrue();
            });
  }

  private List<HistoryEntry> history() {
    return controller.statuses().history(name);
  }

  @Test
  void aRollbackAppliesTheRecordedManifestsAndTurnsAutomationOffUntilReEnabled(
      KubernetesClient client, TestNamespace ns) {
    commitValue("one");
    String first = head();
    controller.run(
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: app}
              destination: {cluster: local, namespace: %s}
              syncPolicy: {automated: {prune: true, selfHeal: true}}
            """
                .formatted(name, repo.url(), ns.name())));
    awaitSyncedAt(first);
    commitValue("two");
    awaitSyncedAt(head());
    HistoryEntry firstSync = history().getLast();

    controller.reconciler.rollback(name, firstSync.id());

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(value(client, ns.name())).isEqualTo("one");
              assertThat(history().getFirst().sync().result()).isEqualTo(SyncResult.SUCCEEDED);
            });
    HistoryEntry rollback = history().getFirst();
    assertThat(rollback.id()).isEqualTo(3);
    assertThat(rollback.sync().trigger()).isEqualTo(SyncTrigger.USER);
    assertThat(rollback.sync().commit()).isEqualTo(first);
    assertThat(rollback.sync().manifestsHash()).isEqualTo(firstSync.sync().manifestsHash());
    await()
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.automation().disabled()).isPresent();
              assertThat(status.sync().status()).isEqualTo(SyncCode.OUT_OF_SYNC);
              assertThat(status.deployed().orElseThrow().revision().commit()).isEqualTo(first);
            });

    commitValue("three");
    String third = head();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> controller.status(name).sync().revision().orElseThrow().commit().equals(third));
    String whileOff = value(client, ns.name());
    int syncsWhileOff = history().size();

    controller.reconciler.enableAutomation(name);
    awaitSyncedAt(third);

    assertThat(whileOff).isEqualTo("one");
    assertThat(syncsWhileOff).isEqualTo(3);
    assertThat(value(client, ns.name())).isEqualTo("three");
    assertThat(controller.status(name).automation().disabled()).isEmpty();
    assertThat(history().getFirst().sync().trigger()).isEqualTo(SyncTrigger.AUTOMATION);
  }

  @Test
  void automatedSyncDoesNotApplyABlockedCommitAndANewerOneUnblocks(
      KubernetesClient client, TestNamespace ns) {
    commitValue("one");
    controller.run(
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: app}
              destination: {cluster: local, namespace: %s}
              syncPolicy: {automated: {}}
            """
                .formatted(name, repo.url(), ns.name())));
    awaitSyncedAt(head());

    repo.write("app/settings.yaml", AutomatedSyncIT.configMap("settings", "bad"));
    repo.commit("settings bad");
    String bad = head();
    controller.reconciler.blockRevision(name, bad, "Degraded after sync #2");
    controller.poll(repo.url());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(controller.status(name).condition("RevisionBlocked"))
                    .get()
                    .satisfies(c -> assertThat(c.message()).contains("Degraded after sync #2")));
    String whileBlocked = value(client, ns.name());
    commitValue("good");
    awaitSyncedAt(head());

    assertThat(whileBlocked).isEqualTo("one");
    assertThat(value(client, ns.name())).isEqualTo("good");
    assertThat(history()).extracting(e -> e.sync().commit()).doesNotContain(bad);
    assertThat(controller.status(name).automation().blocked())
        .extracting(b -> b.commit())
        .containsExactly(bad);
  }

  @Test
  void aRollbackToASyncTheHistoryDoesNotHaveIsRefused(TestNamespace ns) {
    commitValue("one");
    controller.run(
        Controller.application(
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: app}
              destination: {cluster: local, namespace: %s}
              syncPolicy: {automated: {}}
            """
                .formatted(name, repo.url(), ns.name())));
    awaitSyncedAt(head());

    assertThatThrownBy(() -> controller.reconciler.rollback(name, 42))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("has no sync #42");
  }
}
