package dev.tagflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.reconcile.ReconcilerOptions;
import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.store.DatabaseUrl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's start with many Application files: every file is registered before the first
 * reconcile runs, so reconciles do not compete with registering the rest (the server's start with
 * 1,000 files took minutes on a loaded machine). Real store and files; the cluster does not answer
 * (a closed loopback port), which the reconciles report.
 */
class ControllerStartTest {

  private static final int FILES = 120;

  @TempDir Path temp;

  @Test
  void everyApplicationFileIsRegisteredBeforeTheFirstReconcile() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path kubeconfig =
        Files.writeString(
            temp.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters: [{name: gone, cluster: {server: "https://127.0.0.1:%d"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: gone, context: {cluster: gone, user: u}}]
            current-context: gone
            """
                .formatted(closed));
    Path apps = Files.createDirectories(temp.resolve("apps"));
    for (int i = 0; i < FILES; i++) {
      Files.writeString(
          apps.resolve("app-%03d.yaml".formatted(i)),
          """
          apiVersion: tagflow.dev/v1alpha1
          kind: Application
          metadata: {name: app-%03d}
          spec:
            source: {repoURL: "file://%s", targetRevision: main, path: apps}
            destination: {cluster: local, namespace: app-%03d}
            syncPolicy: {automated: {prune: true}}
          """
              .formatted(i, temp.resolve("missing.git"), i));
    }
    Files.writeString(apps.resolve("broken.yaml"), "apiVersion: tagflow.dev/v1alpha1\nkind: [\n");
    Path data = Files.createDirectories(temp.resolve("data"));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OwnGitCredentials own = OwnGitCredentials.create(data, url -> RepoCredentials.none());
    RemoteAccess remotes = new RemoteAccess(own, Duration.ofSeconds(10), meters);
    RepoCache repos = new RepoCache(temp.resolve("repos"), remotes, meters, Clock.systemUTC());
    try (ControllerService controller =
        new ControllerService(
            new ControllerService.Settings(
                data,
                DatabaseUrl.inDataDir(data),
                kubeconfig,
                Optional.of(apps),
                Optional.empty(),
                ReconcilerOptions.defaults()),
            repos,
            meters)) {
      // How many applications were registered when each reconcile reported something.
      List<Integer> registeredAtReconcile = new CopyOnWriteArrayList<>();
      controller
          .statuses()
          .subscribe(
              change -> {
                boolean fromReconcile =
                    switch (change) {
                      case StatusChange.Updated updated ->
                          updated.status().reconciledAt().isPresent();
                      case StatusChange.Recorded recorded -> true;
                      case StatusChange.Removed removed -> false;
                    };
                if (fromReconcile) {
                  registeredAtReconcile.add(controller.reconciler().registry().list().size());
                }
              });

      // How many applications the reconciler ran each time the registry took one in.
      List<Double> runningAtRegistration = new CopyOnWriteArrayList<>();
      controller.onApplicationsChanged(
          () ->
              runningAtRegistration.add(
                  meters.get("tagflow.reconcile.applications").gauge().value()));

      controller.start();

      assertThat(runningAtRegistration).hasSize(FILES).containsOnly(0.0);
      assertThat(meters.get("tagflow.reconcile.applications").gauge().value())
          .isEqualTo((double) FILES);

      await().atMost(Duration.ofMinutes(2)).until(() -> !registeredAtReconcile.isEmpty());
      assertThat(registeredAtReconcile).containsOnly(FILES);
      assertThat(controller.reconciler().registry().problems())
          .singleElement()
          .satisfies(p -> assertThat(p.where()).isEqualTo(apps.resolve("broken.yaml").toString()))
          .satisfies(p -> assertThat(p.message()).contains("broken.yaml:3:1: not valid YAML"));
    }
  }
}
