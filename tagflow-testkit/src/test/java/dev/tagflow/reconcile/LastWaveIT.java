package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.SyncResult;
import dev.tagflow.sync.SyncStatus;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync is done when its last wave is applied and its hooks have finished: a Deployment of the
 * last wave that never becomes ready leaves the application Synced and Progressing (then Degraded
 * at its progress deadline), with its sync Succeeded, not a failed sync — as Argo CD shows it.
 */
@ExtendWith(LocalClusterExtension.class)
class LastWaveIT {

  @TempDir Path root;

  private final String name = "lastwave-" + UUID.randomUUID().toString().substring(0, 8);
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

  @Test
  void aLastWaveDeploymentThatNeverBecomesReadyIsSyncedAndProgressingThenDegraded(
      TestNamespace ns) {
    // Wave 0: a ConfigMap the Deployment's wave waits for (health between waves stays). Wave 1,
    // the last: a Deployment whose Pods run but never become ready, with a short progress
    // deadline so that the Deployment controller itself calls it failed.
    repo.write(
        "app/settings.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {colour: blue}
        """);
    repo.write(
        "app/web.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, annotations: {argocd.argoproj.io/sync-wave: "1"}}
        spec:
          replicas: 1
          progressDeadlineSeconds: 30
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, tagflow.dev/testkit-ready: "false"}}
            spec:
              containers: [{name: main, image: example.invalid/web:1.0.0}]
        """);
    repo.commit("web, whose pods never become ready");
    List<ApplicationStatus> seen = new CopyOnWriteArrayList<>();
    controller
        .statuses()
        .subscribe(
            change -> {
              if (change instanceof StatusChange.Updated updated
                  && updated.status().application().equals(name)) {
                seen.add(updated.status());
              }
            });
    String commit = repo.git("rev-parse", "HEAD").strip();
    controller.poll(repo.url());
    controller.run(
        Controller.application(name, repo.url(), "app", ns.name(), "{automated: {prune: true}}"));

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.operation())
                  .get()
                  .satisfies(o -> assertThat(o.phase().isFinal()).isTrue());
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
            });
    ApplicationStatus ended = controller.status(name);
    assertThat(ended.operation().orElseThrow().phase()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(ended.operation().orElseThrow().message()).doesNotContain("timed out");
    assertThat(ended.sync().revision().orElseThrow().commit()).isEqualTo(commit);
    assertThat(ended.condition("SyncFailed")).isEmpty();
    assertThat(controller.statuses().history(name))
        .singleElement()
        .satisfies(e -> assertThat(e.sync().result()).isEqualTo(SyncResult.SUCCEEDED));

    // Progressing while its Pods are not ready, then Degraded once the Deployment controller
    // says its progress deadline passed; the sync stays what it was.
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.health().health()).isEqualTo(Health.DEGRADED);
              assertThat(status.health().message())
                  .contains("Deployment " + ns.name() + "/web")
                  .contains("progress");
            });
    // On the way there: the sync ended Succeeded while the application was Synced and Progressing.
    assertThat(seen)
        .anySatisfy(
            s -> {
              assertThat(s.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(s.health().health()).isEqualTo(Health.PROGRESSING);
              assertThat(s.operation().orElseThrow().phase()).isEqualTo(SyncStatus.SUCCEEDED);
            });
    ApplicationStatus degraded = controller.status(name);
    assertThat(degraded.sync().status()).isEqualTo(SyncCode.SYNCED);
    assertThat(degraded.operation().orElseThrow().phase()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(controller.statuses().history(name)).hasSize(1);
    assertThat(controller.statuses().events(name, 100))
        .extracting(e -> e.reason())
        .contains("SyncSucceeded")
        .doesNotContain("SyncFailed");
  }
}
