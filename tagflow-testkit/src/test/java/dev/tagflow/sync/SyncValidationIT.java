package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A wave is validated whole before any of it changes, on the real control plane: refusals (invalid,
 * an immutable field without Replace) change nothing and are all reported; Replace recreates;
 * Namespaces and CRDs come first and are awaited; an unchanged sync sends no dry-run.
 */
@ExtendWith(LocalClusterExtension.class)
class SyncValidationIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void aWaveWithAnInvalidObjectChangesNothingAndReportsTheRefusal(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    assertThat(sync(cluster, ns, SyncOptions.defaults(), configMap("a", "blue")).status())
        .isEqualTo(SyncStatus.SUCCEEDED);
    String version = resourceVersion(client, ns, "a");

    SyncState refused =
        sync(
            cluster,
            ns,
            SyncOptions.defaults(),
            configMap("a", "green")
                + "---\n"
                + configMap("b", "green")
                + "---\n"
                + invalidReplicas("bad"));

    assertThat(refused.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(refused.message())
        .startsWith("wave 0 failed: Deployment/" + ns.name() + "/bad failed (invalid: ")
        .contains("replicas");
    assertThat(refused.changes().entries())
        .extracting(e -> e.object().name() + " " + e.action().word())
        .containsExactly("a skipped", "b skipped", "bad failed");
    assertThat(refused.changes().entryFor(ref(ns, "a")).orElseThrow().message())
        .isEqualTo("not applied: this wave changes all or nothing, and 1 object of it was refused");
    assertThat(resourceVersion(client, ns, "a")).isEqualTo(version);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("b").get()).isNull();
    assertThat(inventory(client, ns)).containsExactly("a");
  }

  @Test
  void aWaveWithSeveralRefusedObjectsReportsEveryRefusalAtOnce(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    String badKey =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: bad-key}
        data: {"not a key!": x}
        """;

    SyncState refused =
        sync(
            cluster,
            ns,
            SyncOptions.defaults(),
            configMap("a", "green") + "---\n" + badKey + "---\n" + invalidReplicas("bad"));

    assertThat(refused.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(refused.changes().withAction(Action.FAILED))
        .extracting(e -> e.object().name(), ChangeSetEntry::failure)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bad-key", Optional.of(ClusterFailure.INVALID)),
            org.assertj.core.groups.Tuple.tuple("bad", Optional.of(ClusterFailure.INVALID)));
    assertThat(refused.message())
        .contains("ConfigMap/" + ns.name() + "/bad-key failed (invalid: ")
        .contains("Deployment/" + ns.name() + "/bad failed (invalid: ");
    assertThat(client.configMaps().inNamespace(ns.name()).withName("a").get()).isNull();
  }

  @Test
  void anImmutableFieldChangeWithoutReplaceIsRefusedBeforeAnythingInTheWaveChanges(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    runToEnd(
        cluster, ns, SyncOptions.defaults(), deployment("web") + "---\n" + configMap("a", "blue"));
    String uid = deploymentUid(client, ns);

    SyncState refused =
        runToEnd(
            cluster,
            ns,
            SyncOptions.defaults(),
            deployment("web-v2") + "---\n" + configMap("a", "green"));

    assertThat(refused.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(refused.changes().entryFor(new ObjectRef("apps/v1", "Deployment", ns.name(), "web")))
        .get()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo(Action.FAILED);
              assertThat(e.failure()).contains(ClusterFailure.IMMUTABLE);
              assertThat(e.message()).contains("Replace=true");
            });
    assertThat(client.configMaps().inNamespace(ns.name()).withName("a").get().getData())
        .containsEntry("colour", "blue");
    assertThat(deploymentUid(client, ns)).isEqualTo(uid);
  }

  @Test
  void withReplaceAnImmutableFieldChangeDeletesWaitsUntilGoneAndAppliesAgain(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("test", client);
    runToEnd(
        direct, ns, SyncOptions.defaults(), deployment("web") + "---\n" + configMap("a", "blue"));
    String uid = deploymentUid(client, ns);
    List<String> webRequests = new CopyOnWriteArrayList<>();
    Interceptor recorder =
        onRequest(
            request -> {
              String path = request.uri().getPath();
              String query = request.uri().getRawQuery() == null ? "" : request.uri().getRawQuery();
              if (path.contains("/namespaces/" + ns.name() + "/deployments")
                  && (path.endsWith("/web") || query.contains("metadata.name%3Dweb"))) {
                webRequests.add(kind(request));
              }
            });
    try (KubernetesClient recorded = local.newClient(local.serverUrl(), List.of(recorder))) {
      SyncState replaced =
          runToEnd(
              ClusterGateway.over("recorded", recorded),
              ns,
              SyncOptions.defaults().withReplace(true),
              deployment("web-v2") + "---\n" + configMap("a", "green"));

      assertThat(replaced.status()).as(replaced.message()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(
              replaced.changes().entryFor(new ObjectRef("apps/v1", "Deployment", ns.name(), "web")))
          .get()
          .satisfies(
              e -> assertThat(e.message()).isEqualTo("recreated: an immutable field changed"));
    }
    var web = client.apps().deployments().inNamespace(ns.name()).withName("web").get();
    assertThat(web.getMetadata().getUid()).isNotEqualTo(uid);
    assertThat(web.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web-v2");
    assertThat(client.configMaps().inNamespace(ns.name()).withName("a").get().getData())
        .containsEntry("colour", "green");
    // One dry-run (refused: immutable), the delete, a wait until it is gone, then the apply.
    int delete = webRequests.indexOf("DELETE");
    int apply = webRequests.indexOf("PATCH");
    assertThat(webRequests.subList(0, delete)).containsOnly("GET", "DRY-RUN").contains("DRY-RUN");
    assertThat(apply).isGreaterThan(delete);
    assertThat(webRequests.subList(delete + 1, apply)).isNotEmpty().containsAnyOf("GET", "WATCH");
  }

  @Test
  void aCrdAndItsCustomResourceSyncTogetherTheResourceOnlyOnceTheCrdIsEstablished(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    String group = ns.name() + ".tagflow.dev";
    String crdName = "widgets." + group;
    List<Boolean> establishedWhenSent = new CopyOnWriteArrayList<>();
    Interceptor checker =
        onRequest(
            request -> {
              if (request.uri().getPath().contains("/namespaces/" + ns.name() + "/widgets")) {
                var crd =
                    client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
                establishedWhenSent.add(
                    crd != null
                        && crd.getStatus() != null
                        && crd.getStatus().getConditions().stream()
                            .anyMatch(
                                c ->
                                    c.getType().equals("Established")
                                        && c.getStatus().equals("True")));
              }
            });
    try (KubernetesClient checked = local.newClient(local.serverUrl(), List.of(checker))) {
      SyncState end =
          sync(
              ClusterGateway.over("checked", checked),
              ns,
              SyncOptions.defaults(),
              """
              apiVersion: %1$s/v1
              kind: Widget
              metadata: {name: first}
              spec: {size: 3}
              ---
              apiVersion: apiextensions.k8s.io/v1
              kind: CustomResourceDefinition
              metadata: {name: %2$s}
              spec:
                group: %1$s
                scope: Namespaced
                names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
                versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
              """
                  .formatted(group, crdName));

      assertThat(end.status()).as(end.message()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(end.changes().entries())
          .extracting(e -> e.object().kind() + " " + e.action().word())
          .containsExactly("CustomResourceDefinition created", "Widget created");
      assertThat(establishedWhenSent).isNotEmpty().containsOnly(true);
      // Written ahead before its kind was served, the Widget is named in its namespace all the
      // same.
      assertThat(
              new InventoryStore(ClusterGateway.over("direct", client), "tagflow-system")
                  .load(ns.name())
                  .objects())
          .extracting(ObjectRef::subject)
          .containsExactlyInAnyOrder(
              "CustomResourceDefinition/" + crdName, "Widget/" + ns.name() + "/first");
      assertThat(
              client
                  .genericKubernetesResources(group + "/v1", "Widget")
                  .inNamespace(ns.name())
                  .withName("first")
                  .get())
          .isNotNull();
    } finally {
      client.apiextensions().v1().customResourceDefinitions().withName(crdName).delete();
    }
  }

  @Test
  void aNamespaceComesFirstAndItsObjectsAreCheckedOnceItIsActive(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    String extra = ns.name() + "-extra";
    List<String> requests = new CopyOnWriteArrayList<>();
    Interceptor recorder =
        onRequest(
            request -> {
              String path = request.uri().getPath();
              if (path.endsWith("/namespaces/" + extra)) {
                requests.add("namespace " + kind(request));
              } else if (path.contains("/namespaces/" + extra + "/configmaps/")) {
                requests.add("configmap " + kind(request));
              }
            });
    try (KubernetesClient recorded = local.newClient(local.serverUrl(), List.of(recorder))) {
      SyncState end =
          sync(
              ClusterGateway.over("recorded", recorded),
              ns,
              SyncOptions.defaults(),
              """
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings, namespace: %1$s}
              data: {colour: blue}
              ---
              apiVersion: v1
              kind: Namespace
              metadata: {name: %1$s}
              """
                  .formatted(extra));

      assertThat(end.status()).as(end.message()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(end.changes().entries())
          .extracting(e -> e.object().kind() + " " + e.action().word())
          .containsExactly("Namespace created", "ConfigMap created");
      // The ConfigMap is neither read nor dry-run while its namespace is missing (a dry-run could
      // only be refused for that): it is dry-run, then applied, once the Namespace is applied.
      int namespaceApplied = requests.indexOf("namespace PATCH");
      assertThat(requests.subList(0, namespaceApplied)).allMatch(r -> r.startsWith("namespace "));
      assertThat(requests.subList(namespaceApplied + 1, requests.size()))
          .containsSubsequence("configmap DRY-RUN", "configmap PATCH");
      assertThat(client.configMaps().inNamespace(extra).withName("settings").get()).isNotNull();
    } finally {
      client.namespaces().withName(extra).delete();
    }
  }

  @Test
  void anUnchangedSyncSendsNoDryRunAndNoApply(LocalCluster local, TestNamespace ns) {
    try (ClusterConnections connections = new ClusterConnections(local.kubeconfig())) {
      ClusterGateway cluster = connections.connect(Optional.empty());
      SyncEngine engine = SyncEngine.of(cluster, cluster, HealthRegistry.builtIn());
      String yaml =
          configMap("a", "blue")
              + "---\n"
              + configMap("b", "blue")
              + "---\n"
              + """
              apiVersion: v1
              kind: Secret
              metadata: {name: token}
              stringData: {password: not-a-real-one}
              ---
              apiVersion: v1
              kind: Service
              metadata: {name: web}
              spec:
                selector: {app: web}
                ports: [{port: 80, targetPort: 8080}]
              """;
      SyncState first = sync(engine, ns, SyncOptions.defaults().withPrune(true), yaml);
      assertThat(first.status()).as(first.message()).isEqualTo(SyncStatus.SUCCEEDED);
      Map<String, Long> before = cluster.requests().byMethod();

      SyncState second = sync(engine, ns, SyncOptions.defaults().withPrune(true), yaml);

      Map<String, Long> after = cluster.requests().byMethod();
      assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(second.changes().entries())
          .extracting(ChangeSetEntry::action)
          .containsOnly(Action.UNCHANGED);
      assertThat(after.getOrDefault("DRY-RUN", 0L)).isEqualTo(before.getOrDefault("DRY-RUN", 0L));
      assertThat(after.getOrDefault("PATCH", 0L)).isEqualTo(before.getOrDefault("PATCH", 0L));
    }
  }

  /**
   * Steps the sync until it ends, without waiting between steps (ConfigMaps are healthy at once).
   */
  private SyncState sync(
      ClusterGateway cluster, TestNamespace ns, SyncOptions options, String yaml) {
    return sync(SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()), ns, options, yaml);
  }

  private SyncState sync(SyncEngine engine, TestNamespace ns, SyncOptions options, String yaml) {
    SyncOperation operation = operation(engine, ns, options, yaml);
    SyncState state = operation.step();
    for (int i = 0; i < 10 && !state.status().isFinal(); i++) {
      state = operation.step();
    }
    return state;
  }

  /** Steps the sync until it ends, waiting for health between steps. */
  private SyncState runToEnd(
      ClusterGateway cluster, TestNamespace ns, SyncOptions options, String yaml) {
    SyncOperation operation =
        operation(SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()), ns, options, yaml);
    AtomicReference<SyncState> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              last.set(operation.step());
              return last.get().status().isFinal();
            });
    return last.get();
  }

  private SyncOperation operation(
      SyncEngine engine, TestNamespace ns, SyncOptions options, String yaml) {
    List<GenericKubernetesResource> desired = json.readYaml(yaml);
    return new SyncOperation(
        engine,
        new SyncRequest(ns.name(), "v1", ns.name(), desired, options),
        SyncState.start(ns.name(), "v1"));
  }

  /** GET, WATCH, DRY-RUN, PATCH, DELETE: what a request is, as the request counter names it. */
  private static String kind(HttpRequest request) {
    String query = request.uri().getRawQuery() == null ? "" : request.uri().getRawQuery();
    if (query.contains("watch=true")) {
      return "WATCH";
    }
    if (query.contains("dryRun=")) {
      return "DRY-RUN";
    }
    return request.method();
  }

  private static Interceptor onRequest(Consumer<HttpRequest> action) {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        action.accept(request);
      }
    };
  }

  private static ObjectRef ref(TestNamespace ns, String name) {
    return new ObjectRef("v1", "ConfigMap", ns.name(), name);
  }

  private static String resourceVersion(KubernetesClient client, TestNamespace ns, String name) {
    return client
        .configMaps()
        .inNamespace(ns.name())
        .withName(name)
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  private static String deploymentUid(KubernetesClient client, TestNamespace ns) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .withName("web")
        .get()
        .getMetadata()
        .getUid();
  }

  private static List<String> inventory(KubernetesClient client, TestNamespace ns) {
    return new InventoryStore(ClusterGateway.over("direct", client), "tagflow-system")
        .load(ns.name()).objects().stream().map(ObjectRef::name).toList();
  }

  private static String configMap(String name, String colour) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s}
        data: {colour: %s}
        """
        .formatted(name, colour);
  }

  /** A Deployment the server refuses: replicas must not be negative. */
  private static String invalidReplicas(String name) {
    return deployment(name, name, -1);
  }

  private static String deployment(String selector) {
    return deployment("web", selector, 1);
  }

  private static String deployment(String name, String selector, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: %3$d
          selector: {matchLabels: {app: %2$s}}
          template:
            metadata: {labels: {app: %2$s}}
            spec:
              containers:
                - {name: main, image: example.invalid/web:1.0.0}
        """
        .formatted(name, selector, replicas);
  }
}
