package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.render.Capabilities;
import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.Renderer;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.sync.SyncEngine;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each step's failure is its typed reason, and nothing after a failed step changes the cluster. */
@ExtendWith(LocalClusterExtension.class)
class ApplicationSyncIT {

  @TempDir Path root;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final String name = "app-" + UUID.randomUUID().toString().substring(0, 8);
  private GitWorkTree repo;
  private RepoCache repos;
  private Renderer renderer;

  @BeforeEach
  void open() {
    repo = GitWorkTree.init(root.resolve("env"));
    repos =
        new RepoCache(
            root.resolve("mirrors"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    renderer =
        new Renderer(
            repos, RenderOptions.defaults(root.resolve("render"), Optional.empty()), meters);
  }

  @AfterEach
  void close() {
    renderer.close();
    repos.close();
  }

  @Test
  void aDryRunReportsWhatWouldBeCreatedAndCreatesNothing(
      KubernetesClient client, TestNamespace ns) {
    repo.write("app/settings.yaml", configMap("settings"));
    repo.commit("change");

    SyncReport report =
        sync(client).sync(app("app", ns.name(), ""), RunOptions.defaults().withDryRun(true));

    assertThat(report.failure()).isEmpty();
    assertThat(report.changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .containsExactly("ConfigMap/" + ns.name() + "/settings created");
    assertThat(report.health().orElseThrow().health()).isEqualTo(Health.MISSING);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNull();
  }

  @Test
  void afterASyncTheDiffIsInSyncThoughItsHookWasDeleted(KubernetesClient client, TestNamespace ns) {
    repo.write("app/settings.yaml", configMap("settings"));
    repo.write(
        "app/migrate.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: migrate
          annotations:
            argocd.argoproj.io/hook: PreSync
            argocd.argoproj.io/hook-delete-policy: HookSucceeded
        data: {step: migrate}
        """);
    repo.commit("change");
    Application application = app("app", ns.name(), "");
    ApplicationSync sync = sync(client);

    SyncReport synced = sync.sync(application, RunOptions.defaults());
    SyncReport compared = sync.diff(application, RunOptions.defaults());

    assertThat(synced.failure()).isEmpty();
    assertThat(synced.changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .contains("ConfigMap/" + ns.name() + "/migrate created");
    assertThat(compared.diffs())
        .extracting(d -> d.object().subject() + " " + d.getClass().getSimpleName())
        .containsExactly("ConfigMap/" + ns.name() + "/settings InSync");
    assertThat(compared.inSync()).isTrue();
    assertThat(compared.health().orElseThrow().health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void anUnknownRevisionIsSourceFailedAsInvalidInput(KubernetesClient client, TestNamespace ns) {
    repo.write("app/settings.yaml", configMap("settings"));
    repo.commit("change");

    SyncReport report =
        sync(client).sync(app("app", ns.name(), ""), RunOptions.defaults().withRevision("nope"));

    assertThat(report.failure())
        .get()
        .isInstanceOfSatisfying(
            SyncFailure.SourceFailed.class,
            f -> {
              assertThat(f.invalidInput()).isTrue();
              assertThat(f.message()).contains("nope");
            });
    assertThat(report.revision()).isEmpty();
  }

  @Test
  void aBrokenTemplateIsRenderFailedNamingTheTemplateAndChangesNothing(
      KubernetesClient client, TestNamespace ns) {
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    repo.write("chart/templates/config.yaml", configMap("web") + "  broken: {{ .Values.a.b.c }}\n");
    repo.commit("change");

    SyncReport report = sync(client).sync(app("chart", ns.name(), ""), RunOptions.defaults());

    assertThat(report.failure())
        .get()
        .isInstanceOfSatisfying(
            SyncFailure.RenderFailed.class,
            f -> {
              assertThat(f.invalidInput()).isTrue();
              assertThat(f.message()).contains("templates/config.yaml");
            });
    assertThat(report.revision()).isPresent();
    assertThat(report.changes().entries()).isEmpty();
    assertThat(client.configMaps().inNamespace(ns.name()).withName("web").get()).isNull();
  }

  @Test
  void aPathWithoutObjectsIsRenderFailedSoItsObjectsAreNotAllPruned(
      KubernetesClient client, TestNamespace ns) {
    repo.write("app/settings.yaml", configMap("settings"));
    repo.commit("change");
    Application application = app("app", ns.name(), "  syncPolicy: {automated: {prune: true}}\n");
    assertThat(sync(client).sync(application, RunOptions.defaults()).failure()).isEmpty();

    repo.remove("app/settings.yaml");
    repo.write("app/README.md", "nothing here yet\n");
    repo.commit("change");
    SyncReport report = sync(client).sync(application, RunOptions.defaults());

    assertThat(report.failure())
        .get()
        .isInstanceOfSatisfying(
            SyncFailure.RenderFailed.class,
            f ->
                assertThat(f.message())
                    .contains("renders no objects from app at main (")
                    .contains("allowEmpty: true"));
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNotNull();
  }

  @Test
  void pruningMostOfAnApplicationNeedsConfirmationBeforeAnythingChanges(
      KubernetesClient client, TestNamespace ns) {
    repo.write("app/a.yaml", configMap("a"));
    repo.write("app/b.yaml", configMap("b"));
    repo.write("app/c.yaml", configMap("c"));
    repo.commit("change");
    Application application = app("app", ns.name(), "");
    ApplicationSync sync = sync(client);
    assertThat(sync.sync(application, RunOptions.defaults()).failure()).isEmpty();

    repo.remove("app/b.yaml", "app/c.yaml");
    repo.commit("change");
    SyncReport stopped = sync.sync(application, RunOptions.defaults().withPrune(true));
    List<String> leftAfterStop = configMaps(client, ns);
    SyncReport confirmed =
        sync.sync(application, RunOptions.defaults().withPrune(true).withConfirmPrune(true));

    assertThat(stopped.failure()).get().isInstanceOf(SyncFailure.NeedsConfirmation.class);
    assertThat(leftAfterStop).containsExactly("a", "b", "c");
    assertThat(confirmed.failure()).isEmpty();
    assertThat(confirmed.changes().entries())
        .extracting(ChangeSetEntry::subject, e -> e.action().word())
        .contains(
            Tuple.tuple("ConfigMap/" + ns.name() + "/b", "deleted"),
            Tuple.tuple("ConfigMap/" + ns.name() + "/c", "deleted"));
  }

  /** A Deployment whose Pods run but never become ready, in {@code wave}. */
  private static String neverReady(String name, String wave) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, annotations: {argocd.argoproj.io/sync-wave: "%s"}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s, tagflow.dev/testkit-ready: "false"}}
            spec:
              containers: [{name: main, image: example.invalid/%1$s:1.0.0}]
        """
        .formatted(name, wave);
  }

  @Test
  void aWaveBeforeTheLastThatNeverBecomesHealthyIsSyncFailedAfterTheWaitTimeout(
      KubernetesClient client, TestNamespace ns) {
    repo.write("app/db.yaml", neverReady("db", "-1"));
    repo.write("app/settings.yaml", configMap("settings"));
    repo.commit("change");

    SyncReport report =
        sync(client)
            .sync(
                app("app", ns.name(), ""),
                RunOptions.defaults().withWaitTimeout(Duration.ofSeconds(2)));

    assertThat(report.failure())
        .get()
        .isInstanceOfSatisfying(
            SyncFailure.SyncFailed.class,
            f ->
                assertThat(f.message())
                    .contains("timed out")
                    .contains("wave -1 waits for Deployment " + ns.name() + "/db"));
    assertThat(report.changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .containsExactly("Deployment/" + ns.name() + "/db created");
  }

  @Test
  void aLastWaveThatNeverBecomesHealthyIsSyncedAndProgressingNotAFailedSync(
      KubernetesClient client, TestNamespace ns) {
    repo.write("app/db.yaml", neverReady("db", "0"));
    repo.commit("change");

    SyncReport report =
        sync(client)
            .sync(
                app("app", ns.name(), ""),
                RunOptions.defaults().withWaitTimeout(Duration.ofSeconds(2)));

    assertThat(report.failure()).isEmpty();
    assertThat(report.changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .containsExactly("Deployment/" + ns.name() + "/db created");
    assertThat(report.health())
        .get()
        .satisfies(
            h -> {
              assertThat(h.health()).isEqualTo(Health.PROGRESSING);
              assertThat(h.message()).contains("Deployment " + ns.name() + "/db");
            });
  }

  @Test
  void aChartSeesTheDestinationClustersVersion(KubernetesClient client, TestNamespace ns) {
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    repo.write(
        "chart/templates/config.yaml",
        configMap("web") + "  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n");
    repo.commit("change");
    ClusterGateway cluster = ClusterGateway.over("test", client);
    ApplicationSync sync =
        new ApplicationSync(
            repos,
            renderer,
            SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
            new DestinationCapabilities().of(cluster));

    SyncReport report = sync.sync(app("chart", ns.name(), ""), RunOptions.defaults());

    assertThat(report.failure()).isEmpty();
    assertThat(client.configMaps().inNamespace(ns.name()).withName("web").get().getData())
        .containsEntry("kube", client.getKubernetesVersion().getGitVersion());
  }

  private ApplicationSync sync(KubernetesClient client) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    return new ApplicationSync(
        repos,
        renderer,
        SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
        Capabilities.offline(""));
  }

  private Application app(String path, String namespace, String specLines) {
    return new ApplicationLoader()
        .load(
            "app.yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: '%s', targetRevision: main, path: %s}
              destination: {cluster: local, namespace: %s}
            """
                    .formatted(name, repo.url(), path, namespace)
                + specLines)
        .getFirst();
  }

  private static List<String> configMaps(KubernetesClient client, TestNamespace ns) {
    return client.configMaps().inNamespace(ns.name()).list().getItems().stream()
        .map(cm -> cm.getMetadata().getName())
        .filter(n -> !n.equals("kube-root-ca.crt"))
        .sorted()
        .toList();
  }

  private static String configMap(String name) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s}
        data:
          colour: blue
        """
        .formatted(name);
  }
}
