package dev.tagflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.reconcile.ReconcilerOptions;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.config.ServerSettingsReader;
import dev.tagflow.server.config.SettingsRead;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller as the settings file describes it: applications from a folder in Git, clusters by
 * name, projects enforced and changed by a reload. The real file reader, real Git, the testkit's
 * cluster.
 */
@ExtendWith(LocalClusterExtension.class)
class ControllerSettingsIT {

  @TempDir Path temp;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private RemoteAccess remotes;
  private RepoCache repos;
  private ControllerService controller;

  @AfterEach
  void close() {
    if (controller != null) {
      controller.close(Duration.ofSeconds(10));
    }
    if (repos != null) {
      repos.close();
    }
    if (remotes != null) {
      remotes.close();
    }
  }

  private String app(String name, String project, String cluster, String namespace, String repo) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          project: %s
          source: {repoURL: "%s", targetRevision: main, path: m}
          destination: {cluster: %s, namespace: %s}
          syncPolicy:
            automated: {prune: true}
            syncOptions: [CreateNamespace=true]
        """
        .formatted(name, project, repo, cluster, namespace);
  }

  private ServerSettings settings(Path file, String text) throws IOException {
    Files.writeString(file, text);
    return switch (ServerSettingsReader.forUser().read(file)) {
      case SettingsRead.Loaded loaded -> loaded.settings();
      case SettingsRead.Refused refused -> throw new AssertionError(refused.message());
    };
  }

  private String file(LocalCluster cluster, GitWorkTree repo, String shopNamespaces) {
    return """
        clusters:
          - {name: local, kubeconfig: "%s"}
        repositories:
          - {name: env, url: "%s", pollInterval: 1h}
        applications:
          - {repository: env, revision: main, path: apps}
        projects:
          - name: shop
            destinations:
        %s
        """
        .formatted(cluster.kubeconfig(), repo.url(), shopNamespaces);
  }

  @Test
  void aProjectRefusesAForbiddenNamespaceUntilAReloadAllowsIt(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws IOException {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    String allowed = "shop-web-" + suffix;
    String forbidden = "shop-admin-" + suffix;
    String elsewhere = "elsewhere-" + suffix;
    String forbiddenNamespace = "forbidden-" + suffix;
    repo.write(
        "m/settings.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {value: "one"}
        """);
    repo.write("apps/web.yaml", app(allowed, "shop", "local", ns.name(), repo.url()));
    repo.write("apps/admin.yaml", app(forbidden, "shop", "local", forbiddenNamespace, repo.url()));
    repo.write("apps/prod.yaml", app(elsewhere, "shop", "production", ns.name(), repo.url()));
    // Argo CD's way of naming a cluster: its API server's URL, found among the settings' clusters.
    String byUrl = "example.by-url-" + suffix;
    repo.write(
        "m2/settings.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: by-url}\ndata: {value: \"two\"}\n");
    repo.write(
        "apps/by-url.yaml",
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: %s, namespace: argocd}
        spec:
          project: shop
          source: {repoURL: "%s", targetRevision: main, path: m2}
          destination: {server: "%s", namespace: %s}
          syncPolicy: {automated: {prune: true}}
        """
            .formatted(byUrl, repo.url(), cluster.serverUrl(), ns.name()));
    repo.commit("three applications");
    Path config = temp.resolve("tagflow.yaml");
    ServerSettings first =
        settings(
            config,
            file(cluster, repo, "      - {cluster: local, namespace: '" + ns.name() + "'}"));
    Files.createDirectories(temp.resolve("data"));
    remotes = RemoteAccess.anonymous(meters);
    repos = new RepoCache(temp.resolve("repos"), remotes, meters, Clock.systemUTC());
    controller =
        new ControllerService(
            new ControllerService.Settings(
                temp.resolve("data"),
                DatabaseUrl.inDataDir(temp.resolve("data")),
                cluster.kubeconfig(),
                Optional.empty(),
                Optional.empty(),
                ReconcilerOptions.defaults().withResyncInterval(Duration.ofMinutes(30))),
            repos,
            meters);
    controller.follow(first, config.toString());
    controller.start();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              ApplicationStatus web = controller.statuses().get(allowed).orElseThrow();
              assertThat(web.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(web.health().health()).isEqualTo(Health.HEALTHY);
              assertThat(controller.statuses().get(byUrl).orElseThrow().sync().status())
                  .isEqualTo(SyncCode.SYNCED);
              assertThat(
                      controller.statuses().get(forbidden).orElseThrow().condition("ProjectDenied"))
                  .get()
                  .satisfies(
                      c ->
                          assertThat(c.message())
                              .contains(
                                  "project 'shop' does not let its applications put objects in"
                                      + " namespace '"
                                      + forbiddenNamespace
                                      + "' of cluster 'local'")
                              .contains(config.toString()));
              assertThat(
                      controller.statuses().get(elsewhere).orElseThrow().condition("InvalidSpec"))
                  .get()
                  .satisfies(
                      c ->
                          assertThat(c.message())
                              .contains("destination cluster 'production'")
                              .contains("none of the server's clusters (local)"));
            });
    assertThat(client.namespaces().withName(forbiddenNamespace).get()).isNull();

    ServerSettings second =
        settings(
            config,
            file(
                cluster,
                repo,
                "      - {cluster: local, namespace: '"
                    + ns.name()
                    + "'}\n      - {cluster: local, namespace: 'forbidden-*'}"));
    controller.follow(second, config.toString());

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              ApplicationStatus admin = controller.statuses().get(forbidden).orElseThrow();
              assertThat(admin.sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(admin.condition("ProjectDenied")).isEmpty();
            });
    assertThat(client.configMaps().inNamespace(forbiddenNamespace).withName("settings").get())
        .isNotNull();

    // The folder taken out of the settings: its four applications are held by the breaker.
    ServerSettings third =
        settings(
            config,
            file(cluster, repo, "      - {cluster: '*', namespace: '*'}")
                .replace("applications:\n  - {repository: env, revision: main, path: apps}\n", ""));
    assertThat(third.applications()).isEmpty();
    controller.follow(third, config.toString());

    assertThat(controller.statuses().problems())
        .anySatisfy(
            p -> assertThat(p.message()).contains("would remove 4 of its 4 applications at once"));
    assertThat(controller.reconciler().registry().list()).hasSize(4);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNotNull();
    client.namespaces().withName(forbiddenNamespace).delete();
  }
}
