package dev.tagflow.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tagflow.apply.Action;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.Differ;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.sync.SyncEngine;
import dev.tagflow.sync.SyncOperation;
import dev.tagflow.sync.SyncOptions;
import dev.tagflow.sync.SyncRequest;
import dev.tagflow.sync.SyncState;
import dev.tagflow.sync.SyncStatus;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class PruneIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void storesTheInventoryAsAConfigMapInTagflowsNamespace(
      KubernetesClient client, TestNamespace ns) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    InventoryStore store = new InventoryStore(cluster, InventoryStore.DEFAULT_NAMESPACE);
    Inventory inventory =
        Inventory.of(
            ns.name(),
            List.of(
                new ObjectRef("apps/v1", "Deployment", ns.name(), "web"),
                new ObjectRef("v1", "Namespace", "", ns.name())));

    store.save(inventory);

    assertThat(store.load(ns.name())).isEqualTo(inventory);
    assertThat(
            client
                .configMaps()
                .inNamespace("tagflow-system")
                .withName("inventory-" + ns.name())
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("tagflow.dev/inventory-of", ns.name());
  }

  @Test
  void theInventoryNamesEveryObjectBeforeItIsApplied(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    sync(client, ns, SyncOptions.defaults().withPrune(true), "a");
    // Each time an object is really applied, what the inventory says at that moment.
    Map<String, Boolean> namedWhenSent = new ConcurrentHashMap<>();
    Interceptor observer =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            String path = request.uri().getPath();
            String prefix = "/namespaces/" + ns.name() + "/configmaps/";
            String query = request.uri().getQuery();
            if (request.method().equals("PATCH")
                && path.contains(prefix)
                && (query == null || !query.contains("dryRun"))) {
              String name = path.substring(path.indexOf(prefix) + prefix.length());
              namedWhenSent.put(name, List.of(inventory(client, ns).split(",")).contains(name));
            }
          }
        };

    try (KubernetesClient observed = local.newClient(local.serverUrl(), List.of(observer))) {
      SyncState second =
          sync(observed, ns, SyncOptions.defaults().withPrune(true), "a", "b", "c", "d");

      assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
    }
    assertThat(namedWhenSent).containsOnly(entry("b", true), entry("c", true), entry("d", true));
  }

  @Test
  void aStaleObjectTheLiveCacheHasNotSeenIsAskedForBeforeItCountsAsGone(
      KubernetesClient client, TestNamespace ns) {
    sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b", "old");
    ClusterGateway cluster = ClusterGateway.over("test", client);
    // A watch-fed cache that has not seen "old" yet.
    LiveLookup lagging =
        ref -> ref.name().equals("old") ? java.util.Optional.empty() : cluster.get(ref);
    SyncEngine engine =
        new SyncEngine(
            cluster,
            lagging,
            new InventoryStore(cluster, InventoryStore.DEFAULT_NAMESPACE),
            HealthRegistry.builtIn(),
            new Differ(cluster, lagging),
            java.time.Clock.systemUTC());
    SyncOperation operation =
        new SyncOperation(
            engine,
            new SyncRequest(
                ns.name(),
                "v2",
                ns.name(),
                json.readYaml(configMapsYaml("a", "b")),
                SyncOptions.defaults().withPrune(true)),
            SyncState.start(ns.name(), "v2"));

    SyncState state = operation.step();
    for (int i = 0; i < 10 && !state.status().isFinal(); i++) {
      state = operation.step();
    }

    assertThat(state.status()).as(state.message()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(state.changes().withAction(Action.DELETED))
        .extracting(e -> e.object().name())
        .containsExactly("old");
    assertThat(configMaps(client, ns)).isEqualTo("a,b");
    assertThat(inventory(client, ns)).isEqualTo("a,b");
  }

  @Test
  void prunesObjectsRemovedFromGit(KubernetesClient client, TestNamespace ns) {
    sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b", "c");

    SyncState second = sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b");

    assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(second.changes().withAction(Action.DELETED))
        .extracting(e -> e.object().name())
        .containsExactly("c");
    assertThat(configMaps(client, ns)).isEqualTo("a,b");
    assertThat(inventory(client, ns)).isEqualTo("a,b");
  }

  @Test
  void prunesInTheStaleObjectsWaveOrLastWithPruneLast(KubernetesClient client, TestNamespace ns) {
    sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b", "c", "old");
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("old")
        .edit(
            cm -> {
              cm.getMetadata().getAnnotations().put("tagflow.dev/sync-wave", "-1");
              return cm;
            });

    SyncState inWave =
        sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b", "c", "d:1");
    List<String> inWaveOrder = order(inWave);
    sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b", "c", "d:1", "old2");
    SyncState last =
        sync(
            client,
            ns,
            SyncOptions.defaults().withPrune(true).withPruneLast(true),
            "a",
            "b",
            "c",
            "d:1");

    assertThat(inWaveOrder).startsWith("old deleted");
    assertThat(order(last)).endsWith("d unchanged", "old2 deleted");
  }

  @Test
  void keepsStaleObjectsWhenPruneIsOff(KubernetesClient client, TestNamespace ns) {
    sync(client, ns, SyncOptions.defaults(), "a", "b");

    SyncState second = sync(client, ns, SyncOptions.defaults(), "a");

    assertThat(second.changes().withAction(Action.SKIPPED))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("prune is off"));
    assertThat(configMaps(client, ns)).isEqualTo("a,b");
    assertThat(inventory(client, ns)).isEqualTo("a,b");
  }

  @Test
  void keepsAnObjectAnnotatedPruneFalse(KubernetesClient client, TestNamespace ns) {
    sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b", "keep");
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("keep")
        .edit(
            cm -> {
              cm.getMetadata().getAnnotations().put("tagflow.dev/prune", "false");
              return cm;
            });

    SyncState second = sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b");

    assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(second.changes().withAction(Action.DELETED)).isEmpty();
    assertThat(configMaps(client, ns)).isEqualTo("a,b,keep");
  }

  @Test
  void theCircuitBreakerStopsAMassDeleteUntilConfirmed(KubernetesClient client, TestNamespace ns) {
    sync(client, ns, SyncOptions.defaults().withPrune(true), "a", "b", "c", "d");

    SyncState stopped = sync(client, ns, SyncOptions.defaults().withPrune(true), "a");
    String afterStop = configMaps(client, ns);
    SyncState confirmed =
        sync(client, ns, SyncOptions.defaults().withPrune(true).withConfirmPrune(true), "a");

    assertThat(stopped.status()).isEqualTo(SyncStatus.NEEDS_CONFIRMATION);
    assertThat(stopped.message()).contains("would delete 3 of the application's 4 objects");
    assertThat(afterStop).isEqualTo("a,b,c,d");
    assertThat(confirmed.status()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(configMaps(client, ns)).isEqualTo("a");
  }

  private SyncState sync(
      KubernetesClient client, TestNamespace ns, SyncOptions options, String... names) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    SyncOperation operation =
        new SyncOperation(
            SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
            new SyncRequest(
                ns.name(), "v1", ns.name(), json.readYaml(configMapsYaml(names)), options),
            SyncState.start(ns.name(), "v1"));
    SyncState state = operation.step();
    for (int i = 0; i < 10 && !state.status().isFinal(); i++) {
      state = operation.step();
    }
    return state;
  }

  /** ConfigMaps with these names; "name:2" puts one in wave 2. */
  private static String configMapsYaml(String... names) {
    return Arrays.stream(names)
        .map(
            name ->
                """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: %s
                      annotations: {tagflow.dev/sync-wave: "%s"}
                    data: {colour: blue}
                    """
                    .formatted(name.split(":")[0], name.contains(":") ? name.split(":")[1] : "0"))
        .collect(Collectors.joining("---\n"));
  }

  private static List<String> order(SyncState state) {
    return state.changes().entries().stream()
        .map(e -> e.object().name() + " " + e.action().word())
        .toList();
  }

  private static String configMaps(KubernetesClient client, TestNamespace ns) {
    return client.configMaps().inNamespace(ns.name()).list().getItems().stream()
        .map(cm -> cm.getMetadata().getName())
        .filter(name -> !name.equals("kube-root-ca.crt"))
        .sorted()
        .collect(Collectors.joining(","));
  }

  private static String inventory(KubernetesClient client, TestNamespace ns) {
    return new InventoryStore(ClusterGateway.over("test", client), "tagflow-system")
        .load(ns.name()).objects().stream().map(ObjectRef::name).collect(Collectors.joining(","));
  }
}
