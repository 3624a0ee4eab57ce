package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.render.Capabilities;
import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.Renderer;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.sync.SyncEngine;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production overlay as a new user would write one (25 objects: a StatefulSet with its claim
 * template, a standalone claim, three Deployments with autoscalers, CronJobs, a LoadBalancer
 * Service, an Ingress, RBAC, disruption budgets), synced with the engine onto the testkit's
 * cluster, becomes Synced and every object Healthy: claims are bound, the load balancer and the
 * Ingress get addresses, and the autoscalers read metrics from metrics-server.
 */
@ExtendWith(LocalClusterExtension.class)
class ProductionOverlayIT {

  private static final List<String> FILES =
      List.of(
          "namespace.yaml",
          "config.yaml",
          "rbac.yaml",
          "web.yaml",
          "api.yaml",
          "worker.yaml",
          "db.yaml");

  /** Generous: the autoscalers need two metrics scrapes (10 s apart) and their 15 s sync. */
  private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(4);

  @TempDir Path root;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HealthRegistry health = HealthRegistry.builtIn();
  private final String namespace = "shop-" + UUID.randomUUID().toString().substring(0, 8);
  private GitWorkTree repo;
  private RepoCache repos;
  private Renderer renderer;
  private KubernetesClient client;

  @BeforeEach
  void open(KubernetesClient client) {
    this.client = client;
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
    // The overlay brings its own Namespace; deleting it takes the claims and their volumes along.
    client.namespaces().withName(namespace).delete();
  }

  @Test
  void aTypicalProductionOverlayBecomesSyncedAndEveryObjectHealthy() {
    for (String file : FILES) {
      repo.write("environments/production/" + file, overlayFile(file));
    }
    repo.commit("production overlay");
    Application application = application();
    ApplicationSync sync = sync();

    SyncReport synced =
        sync.sync(application, RunOptions.defaults().withWaitTimeout(HEALTHY_WITHIN));

    assertThat(synced.failure()).as(synced::toString).isEmpty();
    List<ObjectRef> objects =
        synced.changes().entries().stream()
            .filter(e -> e.action() == Action.CREATED)
            .map(ChangeSetEntry::object)
            .toList();
    assertThat(objects).hasSize(25);
    await()
        .atMost(HEALTHY_WITHIN)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(verdicts(objects))
                    .allSatisfy(
                        (subject, verdict) ->
                            assertThat(verdict.health())
                                .as(verdict.toString())
                                .isEqualTo(Health.HEALTHY)));
    SyncReport compared = sync.diff(application, RunOptions.defaults());
    assertThat(compared.inSync()).as(compared::toString).isTrue();
    assertThat(compared.health().orElseThrow().health()).isEqualTo(Health.HEALTHY);

    // What made them Healthy is the cluster's, not a lenient check.
    assertThat(client.persistentVolumeClaims().inNamespace(namespace).list().getItems())
        .extracting(c -> c.getMetadata().getName(), ProductionOverlayIT::phase)
        .containsExactlyInAnyOrder(
            Tuple.tuple("data-db-0", "Bound"), Tuple.tuple("uploads", "Bound"));
    Service publicService = client.services().inNamespace(namespace).withName("web-public").get();
    assertThat(publicService.getStatus().getLoadBalancer().getIngress())
        .singleElement()
        .satisfies(ingress -> assertThat(ingress.getIp()).startsWith("198.51.100."));
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .list()
                .getItems())
        .hasSize(3)
        .allSatisfy(
            hpa ->
                assertThat(condition(hpa, "ScalingActive"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("ValidMetricFound");
                        }));
    List<PodMetrics> usage = client.top().pods().metrics(namespace).getItems();
    assertThat(usage)
        .extracting(m -> m.getMetadata().getName())
        .anySatisfy(name -> assertThat(name).startsWith("web-"))
        .contains("db-0");
  }

  @Test
  void aCronJobOfTheOverlayRunsItsJobToSuccessOnTheSimulatedNodes() {
    repo.write("environments/production/namespace.yaml", overlayFile("namespace.yaml"));
    repo.write("environments/production/worker.yaml", overlayFile("worker.yaml"));
    repo.commit("workers only");

    SyncReport synced =
        sync().sync(application(), RunOptions.defaults().withWaitTimeout(HEALTHY_WITHIN));

    assertThat(synced.failure()).as(synced::toString).isEmpty();
    // "* * * * *": the controller manager starts a Job at the next minute, kwok completes its pod.
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              CronJob sweeper =
                  client
                      .batch()
                      .v1()
                      .cronjobs()
                      .inNamespace(namespace)
                      .withName("queue-sweeper")
                      .get();
              assertThat(sweeper.getStatus().getLastSuccessfulTime()).isNotNull();
              assertThat(health.assess(asGeneric(sweeper)).health()).isEqualTo(Health.HEALTHY);
            });
  }

  private Map<String, HealthStatus> verdicts(List<ObjectRef> objects) {
    Map<String, HealthStatus> verdicts = new LinkedHashMap<>();
    for (ObjectRef ref : objects) {
      var resources = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
      GenericKubernetesResource live =
          ref.isNamespaced()
              ? resources.inNamespace(ref.namespace()).withName(ref.name()).get()
              : resources.withName(ref.name()).get();
      verdicts.put(
          ref.subject(),
          live == null
              ? HealthStatus.missing("not found").about(ref.subject())
              : health.assess(live));
    }
    return verdicts;
  }

  private GenericKubernetesResource asGeneric(CronJob cronJob) {
    return client
        .genericKubernetesResources("batch/v1", "CronJob")
        .inNamespace(namespace)
        .withName(cronJob.getMetadata().getName())
        .get();
  }

  private ApplicationSync sync() {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    return new ApplicationSync(
        repos, renderer, SyncEngine.of(cluster, cluster, health), Capabilities.offline(""));
  }

  private Application application() {
    return new ApplicationLoader()
        .load(
            "shop-production.yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: '%s', targetRevision: main, path: environments/production}
              destination: {cluster: local, namespace: %s}
            """
                .formatted(namespace, repo.url(), namespace))
        .getFirst();
  }

  private String overlayFile(String file) {
    String resource = "/overlays/production/" + file;
    try (InputStream in = ProductionOverlayIT.class.getResourceAsStream(resource)) {
      return new String(Objects.requireNonNull(in, resource).readAllBytes(), StandardCharsets.UTF_8)
          .replace("NAMESPACE", namespace);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  private static String phase(PersistentVolumeClaim claim) {
    return claim.getStatus() == null ? "" : claim.getStatus().getPhase();
  }

  private static Optional<HorizontalPodAutoscalerCondition> condition(
      HorizontalPodAutoscaler hpa, String type) {
    if (hpa.getStatus() == null || hpa.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return hpa.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }
}
