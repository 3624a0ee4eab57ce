package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.Application;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.ObjectSync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A periodic resync of an application nothing changed for is skipped, and still every change is
 * seen: by its event at once, and by the full comparison every tenth resync makes anyway.
 */
@ExtendWith(LocalClusterExtension.class)
class QuietResyncIT {

  @TempDir Path root;

  private final String name = "quiet-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aResyncWithNothingChangedIsSkippedAndAHandEditIsStillSeen(
      LocalCluster cluster, TestNamespace ns) {
    GitWorkTree repo = GitWorkTree.init(root.resolve("env"));
    for (String object : List.of("one", "two")) {
      repo.write("app/" + object + ".yaml", AutomatedSyncIT.configMap(object, "from-git"));
    }
    repo.commit("two settings");
    Application application = application(repo, ns);
    ReconcilerOptions everySecond = Controller.options().withResyncInterval(Duration.ofSeconds(1));
    try (Controller controller = new Controller(cluster, root.resolve("data"), everySecond)) {
      controller.start();
      controller.run(application);
      await().atMost(Duration.ofSeconds(60)).until(() -> skipped(controller) >= 1);
      Instant compared = controller.status(name).reconciledAt().orElseThrow();
      long renders = controller.renders();
      long requests = controller.requests();
      assertThat(controller.status(name).sync().status()).isEqualTo(SyncCode.SYNCED);

      // Two more resyncs skipped: nothing was rendered, asked of the cluster or published.
      double before = skipped(controller);
      await().atMost(Duration.ofSeconds(60)).until(() -> skipped(controller) >= before + 2);
      assertThat(controller.status(name).reconciledAt()).contains(compared);
      assertThat(controller.renders()).isEqualTo(renders);
      assertThat(controller.requests()).isEqualTo(requests);

      // An edit by hand is an event on the object: the next reconcile compares in full.
      cluster
          .newClient()
          .configMaps()
          .inNamespace(ns.name())
          .withName("two")
          .edit(
              c -> {
                c.getData().put("value", "by-hand");
                return c;
              });
      ObjectRef two = new ObjectRef("v1", "ConfigMap", ns.name(), "two");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                ApplicationStatus status = controller.status(name);
                assertThat(status.sync().status()).isEqualTo(SyncCode.OUT_OF_SYNC);
                assertThat(status.object(two).orElseThrow().sync())
                    .isEqualTo(ObjectSync.OUT_OF_SYNC);
              });
    }
  }

  @Test
  void everyTenthResyncComparesInFullWithNothingChanged(LocalCluster cluster, TestNamespace ns) {
    GitWorkTree repo = GitWorkTree.init(root.resolve("env"));
    repo.write("app/one.yaml", AutomatedSyncIT.configMap("one", "from-git"));
    repo.commit("one setting");
    ReconcilerOptions everySecond = Controller.options().withResyncInterval(Duration.ofSeconds(1));
    try (Controller controller = new Controller(cluster, root.resolve("data"), everySecond)) {
      controller.start();
      controller.run(application(repo, ns));
      await().atMost(Duration.ofSeconds(60)).until(() -> skipped(controller) >= 1);
      Instant compared = controller.status(name).reconciledAt().orElseThrow();

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> controller.status(name).reconciledAt().orElseThrow().isAfter(compared));
      // Compared again with nothing changed, once the resyncs skipped in a row reached the limit.
      assertThat(skipped(controller)).isGreaterThanOrEqualTo(AppRuntime.FULL_RESYNC_EVERY - 1);
      assertThat(controller.status(name).sync().status()).isEqualTo(SyncCode.SYNCED);
    }
  }

  private static double skipped(Controller controller) {
    return controller.meters.get("tagflow.reconcile.resyncs.skipped").counter().count();
  }

  private Application application(GitWorkTree repo, TestNamespace ns) {
    return Controller.application(
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: app}
          destination: {cluster: local, namespace: %s}
          syncPolicy: {automated: {prune: true}}
        """
            .formatted(name, repo.url(), ns.name()));
  }
}
