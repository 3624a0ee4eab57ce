package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.release.Release;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.testkit.cluster.LocalCluster;
import dev.tagflow.testkit.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
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
}
