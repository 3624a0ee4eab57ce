package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.release.Release;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every sync's history entry links the release it deployed: tag, commit, images, manifests. */
@ExtendWith(LocalClusterExtension.class)
class ReleaseIT {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @TempDir Path root;

  private final String name = "release-" + UUID.randomUUID().toString().substring(0, 8);
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
  void aSyncsHistoryEntryLinksTheReleaseWithItsTagImagesAndManifests(TestNamespace ns) {
    repo.write(
        "app/web.yaml", AutomatedSyncIT.deployment("web", "registry.example.com/web@" + DIGEST));
    repo.write(
        "app/report.yaml",
        """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          schedule: "0 2 * * *"
          suspend: true
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  initContainers: [{name: wait, image: "busybox:1.36"}]
                  containers: [{name: report, image: "registry.example.com/report:1.2.3"}]
        """);
    repo.commit("web and report 1.2.3");
    repo.git("tag", "v1.2.3");
    String commit = repo.git("rev-parse", "HEAD").strip();
    controller.poll(repo.url());
    controller.run(Controller.application(name, repo.url(), "app", ns.name(), "{automated: {}}"));

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              ApplicationStatus status = controller.status(name);
              assertThat(status.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.operation().map(o -> o.phase().isFinal()).orElse(false)).isTrue();
            });
    HistoryEntry entry = controller.statuses().history(name).getFirst();
    Release release =
        controller.store.releases().get(entry.sync().releaseId().orElseThrow()).orElseThrow();

    assertThat(release.tag()).contains("v1.2.3");
    assertThat(release.commit()).isEqualTo(commit);
    assertThat(release.id()).startsWith("v1.2.3-");
    assertThat(release.manifestsHash()).isEqualTo(entry.sync().manifestsHash());
    assertThat(release.chart()).isEmpty();
    assertThat(release.images())
        .containsExactlyInAnyOrder(
            new Release.Image("registry.example.com/web@" + DIGEST, Optional.of(DIGEST)),
            new Release.Image("busybox:1.36", Optional.empty()),
            new Release.Image("registry.example.com/report:1.2.3", Optional.empty()));
    assertThat(controller.store.releases().byCommit(commit))
        .extracting(Release::id)
        .contains(release.id());
    assertThat(controller.statuses().events(name, 50))
        .anySatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo("SyncStarted");
              assertThat(e.message()).contains("release " + release.id());
            });
  }

  @Test
  void theDigestTheRunningPodsReportIsAddedToTheReleaseOnceHealthy(
      KubernetesClient client, TestNamespace ns) {
    String image = "registry.example.com/web:1.0.0";
    repo.write("app/web.yaml", AutomatedSyncIT.deployment("web", image));
    repo.commit("web 1.0.0");
    controller.poll(repo.url());
    controller.run(Controller.application(name, repo.url(), "app", ns.name(), "{automated: {}}"));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> controller.status(name).health().health() == Health.HEALTHY);
    // What a container runtime writes once it pulled the tag; kwok's simulated kubelet writes none.
    Pod pod =
        client.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems().getFirst();
    client
        .pods()
        .inNamespace(ns.name())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.getStatus()
                  .getContainerStatuses()
                  .getFirst()
                  .setImageID("docker-pullable://" + "registry.example.com/web@" + DIGEST);
              return p;
            });
    // A second sync that leaves the Pods as they are, Healthy afterwards.
    repo.write("app/settings.yaml", AutomatedSyncIT.configMap("settings", "one"));
    repo.commit("settings");
    String second = repo.git("rev-parse", "HEAD").strip();
    controller.poll(repo.url());

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              HistoryEntry entry = controller.statuses().history(name).getFirst();
              assertThat(entry.sync().commit()).isEqualTo(second);
              Release release =
                  controller
                      .store
                      .releases()
                      .get(entry.sync().releaseId().orElseThrow())
                      .orElseThrow();
              assertThat(release.images())
                  .containsExactly(new Release.Image(image, Optional.of(DIGEST)));
            });
    HistoryEntry entry = controller.statuses().history(name).getFirst();
    Release withDigest =
        controller.store.releases().get(entry.sync().releaseId().orElseThrow()).orElseThrow();
    // The release first recorded stays as it was: releases never change.
    Release atStart =
        controller.store.releases().byCommit(second).stream()
            .filter(r -> !r.id().equals(withDigest.id()))
            .findFirst()
            .orElseThrow();
    assertThat(atStart.images()).containsExactly(new Release.Image(image, Optional.empty()));
    assertThat(atStart.manifestsHash()).isEqualTo(withDigest.manifestsHash());
  }
}
