package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications from a folder of Application files in Git (app of apps), and Argo CD's own pattern:
 * a parent whose manifests are Applications. Real Git commits, the poller, the testkit's cluster.
 */
@ExtendWith(LocalClusterExtension.class)
class GitApplicationsIT {

  @TempDir Path root;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private GitWorkTree repo;
  private Controller controller;
  private GitApplications source;

  @BeforeEach
  void open(LocalCluster cluster) {
    repo = GitWorkTree.init(root.resolve("env"));
    controller = new Controller(cluster, root.resolve("data"), Controller.options()).start();
    source =
        new GitApplications(
            new GitApplications.Location("env", repo.url(), "main", "apps"),
            controller.repos,
            controller.registry,
            new ApplicationLoader());
    controller.onRefChanged(source::onRefChanged);
  }

  @AfterEach
  void close() {
    controller.close();
  }

  /** An Argo CD Application of the manifests under {@code m/<path>}, pruning. */
  private String argoApp(String name, String path, String namespace) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: %s
          namespace: argocd
          finalizers: [resources-finalizer.argocd.argoproj.io]
        spec:
          project: default
          source: {repoURL: "%s", targetRevision: main, path: m/%s}
          destination: {server: "https://kubernetes.default.svc", namespace: %s}
          syncPolicy: {automated: {prune: true}}
        """
        .formatted(name, repo.url(), path, namespace);
  }

  /** One of ours, of the manifests under {@code m/<path>}, pruning. */
  private String ourApp(String name, String path, String namespace) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: m/%s}
          destination: {cluster: local, namespace: %s}
          syncPolicy: {automated: {prune: true}}
        """
        .formatted(name, repo.url(), path, namespace);
  }

  private void manifests(String... names) {
    for (String name : names) {
      repo.write(
          "m/" + name + "/settings.yaml", AutomatedSyncIT.configMap(name + "-settings", name));
    }
  }

  private void awaitSyncedAndHealthy(String name) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Optional<ApplicationStatus> status = controller.statuses().get(name);
              assertThat(status).isPresent();
              assertThat(status.get().sync().status()).isEqualTo(SyncCode.SYNCED);
              assertThat(status.get().health().health()).isEqualTo(Health.HEALTHY);
            });
  }

  /** Waits until the application is gone and its ConfigMap deleted. */
  private void awaitRemovedAndPruned(
      KubernetesClient client, String application, String namespace, String configMap) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(controller.statuses().get(application)).isEmpty();
              assertThat(exists(client, namespace, configMap)).isFalse();
            });
  }

  private static boolean exists(KubernetesClient client, String namespace, String configMap) {
    return client.configMaps().inNamespace(namespace).withName(configMap).get() != null;
  }

  @Test
  void commitsAddingAndRemovingApplicationFilesAddAndRemoveApplications(
      KubernetesClient client, TestNamespace ns) {
    String a = "example.a-" + suffix;
    String b = "example.b-" + suffix;
    String c = "c-" + suffix;
    String d = "example.d-" + suffix;
    manifests("a", "b", "c", "d");
    repo.write("apps/a.yaml", argoApp(a, "a", ns.name()));
    // Any depth, several Applications per file.
    repo.write(
        "apps/team/more.yaml", ourApp(b, "b", ns.name()) + "---\n" + ourApp(c, "c", ns.name()));
    repo.write("apps/README.md", "not an Application\n");
    repo.commit("a, b and c");

    source.load();
    controller.poll(repo.url()); // the poller's baseline: later commits are news

    awaitSyncedAndHealthy(a);
    awaitSyncedAndHealthy(b);
    awaitSyncedAndHealthy(c);
    assertThat(controller.statuses().lineage(a))
        .get()
        .satisfies(l -> assertThat(l.source()).isEqualTo("git:env/apps@main"));

    repo.write("apps/team/deep/d.yaml", ourApp(d, "d", ns.name()));
    repo.commit("add d");
    controller.poll(repo.url());

    awaitSyncedAndHealthy(d);
    assertThat(exists(client, ns.name(), "d-settings")).isTrue();

    repo.remove("apps/a.yaml");
    repo.commit("remove a");
    controller.poll(repo.url());

    awaitRemovedAndPruned(client, a, ns.name(), "a-settings");
    assertThat(exists(client, ns.name(), "b-settings")).isTrue();
    assertThat(exists(client, ns.name(), "c-settings")).isTrue();
    assertThat(controller.status(b).sync().status()).isEqualTo(SyncCode.SYNCED);
  }

  @Test
  void anEmptiedFolderTripsTheBreakerAndDeletesNothingUntilConfirmed(
      KubernetesClient client, TestNamespace ns) {
    manifests("a", "b", "c");
    for (String name : new String[] {"a", "b", "c"}) {
      repo.write("apps/" + name + ".yaml", argoApp(name + "-" + suffix, name, ns.name()));
    }
    repo.commit("three applications");
    source.load();
    controller.poll(repo.url()); // the poller's baseline: later commits are news
    for (String name : new String[] {"a", "b", "c"}) {
      awaitSyncedAndHealthy(name + "-" + suffix);
    }

    repo.remove("apps/a.yaml", "apps/b.yaml", "apps/c.yaml");
    repo.commit("oops: every Application file deleted");
    controller.poll(repo.url());

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(controller.statuses().problems())
                    .anySatisfy(
                        p ->
                            assertThat(p.message())
                                .contains("would remove 3 of its 3 applications at once")));
    assertThat(controller.registry.list()).hasSize(3);
    for (String name : new String[] {"a", "b", "c"}) {
      assertThat(exists(client, ns.name(), name + "-settings")).isTrue();
      assertThat(controller.status(name + "-" + suffix).sync().status()).isEqualTo(SyncCode.SYNCED);
    }

    assertThat(controller.registry.confirmRemoval(source.source())).isEqualTo(3);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (String name : new String[] {"a", "b", "c"}) {
                assertThat(exists(client, ns.name(), name + "-settings")).isFalse();
              }
            });
    assertThat(controller.statuses().list()).isEmpty();
  }

  @Test
  void oneInvalidFileIsReportedWhereItIsWrongAndTheOthersKeepSyncing(
      KubernetesClient client, TestNamespace ns) {
    String good = "good-" + suffix;
    manifests("good");
    repo.write("apps/good.yaml", ourApp(good, "good", ns.name()));
    repo.write(
        "apps/bad.yaml",
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: bad-%s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: m/good}
          destinaton: {cluster: local, namespace: %s}
        """
            .formatted(suffix, repo.url(), ns.name()));
    repo.commit("good and bad");

    source.load();
    controller.poll(repo.url()); // the poller's baseline: later commits are news

    awaitSyncedAndHealthy(good);
    assertThat(controller.statuses().problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.where()).isEqualTo("env:apps/bad.yaml");
              assertThat(p.message())
                  .contains("apps/bad.yaml:6:3: unknown field 'destinaton'")
                  .contains("did you mean 'destination'?");
            });
    assertThat(controller.registry.get("bad-" + suffix)).isEmpty();

    repo.write("m/good/settings.yaml", AutomatedSyncIT.configMap("good-settings", "two"));
    repo.commit("good moves on");
    controller.poll(repo.url());

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "two"
                    .equals(
                        client
                            .configMaps()
                            .inNamespace(ns.name())
                            .withName("good-settings")
                            .get()
                            .getData()
                            .get("value")));
    assertThat(controller.statuses().problems()).hasSize(1);
  }

  @Test
  void argoCdsAppOfAppsRegistersDottedChildrenThatSyncAndArePrunedWithTheirParent(
      KubernetesClient client, TestNamespace ns) {
    String parent = "apps-" + suffix;
    String guestbook = "example.guestbook-" + suffix;
    String helm = "example.helm-guestbook-" + suffix;
    manifests("guestbook", "helm");
    // Argo CD's example: the parent's directory holds only child Applications.
    repo.write("children/guestbook.yaml", argoApp(guestbook, "guestbook", ns.name()));
    repo.write("children/helm-guestbook.yaml", argoApp(helm, "helm", ns.name()));
    repo.commit("app of apps");
    controller.run(
        Controller.application(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: %s, namespace: argocd}
            spec:
              project: default
              source: {repoURL: "%s", targetRevision: main, path: children}
              destination: {server: "https://kubernetes.default.svc", namespace: argocd}
              syncPolicy: {automated: {prune: true}}
            """
                .formatted(parent, repo.url())));
    controller.poll(repo.url()); // the poller's baseline: later commits are news

    awaitSyncedAndHealthy(guestbook);
    awaitSyncedAndHealthy(helm);
    assertThat(exists(client, ns.name(), "guestbook-settings")).isTrue();
    assertThat(exists(client, ns.name(), "helm-settings")).isTrue();
    assertThat(controller.statuses().lineage(guestbook))
        .get()
        .satisfies(l -> assertThat(l.parent()).contains(parent));
    assertThat(controller.statuses().lineage(parent))
        .get()
        .satisfies(l -> assertThat(l.children()).containsExactly(guestbook, helm));
    // The Applications were registered, not applied: nothing of kind Application in the cluster.
    awaitSyncedAndHealthy(parent);
    assertThat(controller.status(parent).objects()).isEmpty();

    repo.remove("children/helm-guestbook.yaml");
    repo.commit("helm-guestbook goes");
    controller.poll(repo.url());

    awaitRemovedAndPruned(client, helm, ns.name(), "helm-settings");
    assertThat(exists(client, ns.name(), "guestbook-settings")).isTrue();

    controller.registry.replace("test", List.of(), List.of());

    awaitRemovedAndPruned(client, guestbook, ns.name(), "guestbook-settings");
  }

  @Test
  void aHelmChartOfApplicationTemplatesRegistersItsChildrenAsArgoCdsExampleDoes(
      KubernetesClient client, TestNamespace ns) {
    String parent = "helm-apps-" + suffix;
    manifests("guestbook");
    // The shape of argocd-example-apps/apps: a chart whose templates are Applications.
    repo.write("charts/apps/Chart.yaml", "apiVersion: v2\nname: apps\nversion: 0.1.0\n");
    repo.write(
        "charts/apps/values.yaml",
        """
        spec:
          destination: {server: "https://kubernetes.default.svc", namespace: %s}
          source: {repoURL: "%s", targetRevision: main}
        suffix: %s
        """
            .formatted(ns.name(), repo.url(), suffix));
    repo.write(
        "charts/apps/templates/guestbook.yaml",
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: example.guestbook-{{ .Values.suffix }}
          namespace: argocd
          finalizers: [resources-finalizer.argocd.argoproj.io]
        spec:
          project: default
          source:
            repoURL: {{ .Values.spec.source.repoURL | quote }}
            targetRevision: {{ .Values.spec.source.targetRevision }}
            path: m/guestbook
          destination:
            server: {{ .Values.spec.destination.server }}
            namespace: {{ .Values.spec.destination.namespace }}
          syncPolicy: {automated: {prune: true}}
        """);
    repo.commit("a chart of Applications");
    controller.run(
        Controller.application(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: %s, namespace: argocd}
            spec:
              project: default
              source: {repoURL: "%s", targetRevision: main, path: charts/apps}
              destination: {server: "https://kubernetes.default.svc", namespace: argocd}
            """
                .formatted(parent, repo.url())));

    awaitSyncedAndHealthy("example.guestbook-" + suffix);
    assertThat(exists(client, ns.name(), "guestbook-settings")).isTrue();
    assertThat(controller.statuses().lineage(parent))
        .get()
        .satisfies(l -> assertThat(l.children()).containsExactly("example.guestbook-" + suffix));
  }
}
