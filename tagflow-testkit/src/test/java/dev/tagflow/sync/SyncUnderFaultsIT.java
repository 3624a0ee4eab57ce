package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.net.FaultyLink;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Syncs while the API server fails them, on the real control plane: the link to it cut in the
 * middle of a wave, reads failing while a prune is planned, a conflict on one object. Whatever
 * happens, no owned object leaves the inventory unless the cluster confirmed it gone.
 */
@ExtendWith(LocalClusterExtension.class)
class SyncUnderFaultsIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void theApiBecomingUnreachableInTheMiddleOfAWaveFailsTheSyncAsUnavailableAndLosesNothing(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("direct", client);
    sync(direct, ns, "blue", "a", "old");
    // Cut the link just before the fourth object of the wave is really applied (dry-runs pass).
    AtomicBoolean armed = new AtomicBoolean(true);
    AtomicInteger applied = new AtomicInteger();
    try (FaultyLink link = FaultyLink.to(local.serverUrl());
        KubernetesClient linked =
            local.newClient(
                link.url(),
                List.of(
                    onRequest(
                        request -> {
                          if (armed.get()
                              && isRealApplyOfAConfigMapIn(ns, request)
                              && applied.incrementAndGet() == 4) {
                            link.cut();
                          }
                        })))) {
      ClusterGateway cluster = ClusterGateway.over("linked", linked);

      SyncState failed = sync(cluster, ns, "green", "a", "b", "c", "d", "e", "f");

      // The fourth apply sent and every one after it meet the cut link.
      assertFailedAsUnavailableLosingNothing(failed, client, ns, 3);

      armed.set(false);
      link.pass();
      SyncState next = sync(cluster, ns, "green", "a", "b", "c", "d", "e", "f");

      assertThat(next.status()).as(next.message()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(configMaps(client, ns)).isEqualTo("a,b,c,d,e,f");
      assertThat(colours(client, ns)).containsOnly("green");
      assertThat(inventory(client, ns)).containsExactly("a", "b", "c", "d", "e", "f");
    }
  }

  @Test
  void aPruneThatCannotReadAStaleObjectDeletesNothingAndKeepsItInTheInventory(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("direct", client);
    sync(direct, ns, "blue", "a", "b", "old");
    // The API server is unreachable exactly when "old" is read, and reachable for the rest.
    AtomicBoolean armed = new AtomicBoolean(true);
    try (FaultyLink link = FaultyLink.to(local.serverUrl());
        KubernetesClient linked =
            local.newClient(
                link.url(),
                List.of(
                    onRequest(
                        request -> {
                          boolean readsOld =
                              request.method().equals("GET")
                                  && request
                                      .uri()
                                      .getPath()
                                      .endsWith("/namespaces/" + ns.name() + "/configmaps/old");
                          if (armed.get() && readsOld) {
                            link.cut();
                          } else {
                            link.pass();
                          }
                        })))) {
      ClusterGateway cluster = ClusterGateway.over("linked", linked);

      SyncState failed = sync(cluster, ns, "blue", "a", "b");

      assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
      assertThat(failed.message())
          .startsWith("synced v1 except: ConfigMap/" + ns.name() + "/old failed (unavailable: ");
      assertThat(failed.changes().withAction(Action.DELETED)).isEmpty();
      assertThat(configMaps(client, ns)).isEqualTo("a,b,old");
      assertThat(inventory(client, ns)).containsExactly("a", "b", "old");

      armed.set(false);
      SyncState next = sync(cluster, ns, "blue", "a", "b");

      assertThat(next.status()).as(next.message()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(configMaps(client, ns)).isEqualTo("a,b");
      assertThat(inventory(client, ns)).containsExactly("a", "b");
    }
  }

  @Test
  void aConflictOnOneObjectLeavesTheOthersAppliedAndReported(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("direct", client);
    sync(direct, ns, "blue", "a", "b", "c");
    direct.apply(configMap(ns, "b", "red"), ApplyCall.forced("someone-else"));
    // Tagflow forces its applies; this client drops the force from b's real apply (its dry-run
    // keeps it, so the wave passes validation), so b's apply meets the field someone-else owns as
    // the API server's real 409.
    Interceptor withoutForceForB =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            URI uri = request.uri();
            if (uri.getPath().endsWith("/namespaces/" + ns.name() + "/configmaps/b")
                && uri.getQuery() != null
                && !uri.getQuery().contains("dryRun")) {
              String query =
                  Arrays.stream(uri.getRawQuery().split("&"))
                      .filter(p -> !p.equals("force=true"))
                      .collect(Collectors.joining("&"));
              builder.uri(URI.create(uri.toString().replace(uri.getRawQuery(), query)));
            }
          }
        };
    try (KubernetesClient contested =
        local.newClient(local.serverUrl(), List.of(withoutForceForB))) {
      ClusterGateway cluster = ClusterGateway.over("contested", contested);

      SyncState failed = sync(cluster, ns, "green", "a", "b", "c");

      assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
      assertThat(failed.changes().entries())
          .extracting(e -> e.object().name() + " " + e.action().word())
          .containsExactly("a configured", "b failed", "c configured");
      assertThat(failed.changes().entryFor(new ObjectRef("v1", "ConfigMap", ns.name(), "b")))
          .get()
          .satisfies(
              e -> {
                assertThat(e.failure()).contains(ClusterFailure.CONFLICT);
                assertThat(e.message()).contains("someone-else");
              });
      assertThat(colours(client, ns)).containsExactly("green", "red", "green");
      assertThat(inventory(client, ns)).containsExactly("a", "b", "c");
    }
  }

  @Test
  void theApiServerStoppedInTheMiddleOfAWaveFailsTheSyncAndItsRestartLetsTheNextOneComplete(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("direct", client);
    sync(direct, ns, "blue", "a", "old");
    // The kube-apiserver process is stopped just before the fourth object is really applied.
    AtomicBoolean armed = new AtomicBoolean(true);
    AtomicInteger applied = new AtomicInteger();
    try (KubernetesClient watched =
        local.newClient(
            local.serverUrl(),
            Duration.ofSeconds(5),
            List.of(
                onRequest(
                    request -> {
                      if (armed.get()
                          && isRealApplyOfAConfigMapIn(ns, request)
                          && applied.incrementAndGet() == 4) {
                        armed.set(false);
                        local.stop("kube-apiserver");
                      }
                    })))) {
      ClusterGateway cluster = ClusterGateway.over("watched", watched);
      SyncState failed;
      try {
        failed = sync(cluster, ns, "green", "a", "b", "c", "d", "e", "f");
      } finally {
        local.restart("kube-apiserver");
      }

      // The fourth apply is held until the server is down; the others of its kind may pass.
      assertFailedAsUnavailableLosingNothing(failed, client, ns, 1);

      SyncState next = sync(cluster, ns, "green", "a", "b", "c", "d", "e", "f");

      assertThat(next.status()).as(next.message()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(configMaps(client, ns)).isEqualTo("a,b,c,d,e,f");
      assertThat(inventory(client, ns)).containsExactly("a", "b", "c", "d", "e", "f");
    }
  }

  @Test
  void etcdStoppedFailsTheSyncAsUnavailableWithoutTouchingTheInventoryUntilItIsBack(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("direct", client);
    sync(direct, ns, "blue", "a", "old");
    try (KubernetesClient shortTimeouts =
        local.newClient(local.serverUrl(), Duration.ofSeconds(5), List.of())) {
      ClusterGateway cluster = ClusterGateway.over("short", shortTimeouts);
      local.stop("etcd");
      Object outcome;
      try {
        outcome = syncOrFailure(cluster, ns, "green", "a", "b");
      } finally {
        local.restart("etcd");
      }

      // Either the first step could not read (nothing changed, the step throws) or the sync ended
      // failed; never success, never a prune.
      if (outcome instanceof ClusterException e) {
        assertThat(e.failure()).isIn(ClusterFailure.UNAVAILABLE, ClusterFailure.TIMED_OUT);
      } else {
        SyncState failed = (SyncState) outcome;
        assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.changes().withAction(Action.DELETED)).isEmpty();
      }
      // The API server finds etcd again by itself.
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> configMaps(client, ns) != null);
      assertThat(inventory(client, ns)).contains("a", "old");
      assertThat(configMaps(client, ns)).contains("old");

      SyncState next = sync(cluster, ns, "green", "a", "b");

      assertThat(next.status()).as(next.message()).isEqualTo(SyncStatus.SUCCEEDED);
      assertThat(configMaps(client, ns)).isEqualTo("a,b");
      assertThat(inventory(client, ns)).containsExactly("a", "b");
    }
  }

  /** The sync's end, or the cluster failure that stopped a step before it changed anything. */
  private Object syncOrFailure(
      ClusterGateway cluster, TestNamespace ns, String colour, String... names) {
    try {
      return sync(cluster, ns, colour, names);
    } catch (ClusterException e) {
      return e;
    }
  }

  /** Syncs ConfigMaps of that colour, with prune on, to the end (at most ten steps). */
  private SyncState sync(ClusterGateway cluster, TestNamespace ns, String colour, String... names) {
    String yaml =
        Arrays.stream(names)
            .map(
                name ->
                    """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: %s}
                    data: {colour: %s}
                    """
                        .formatted(name, colour))
            .collect(Collectors.joining("---\n"));
    SyncOperation operation =
        new SyncOperation(
            SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
            new SyncRequest(
                ns.name(),
                "v1",
                ns.name(),
                json.readYaml(yaml),
                SyncOptions.defaults().withPrune(true)),
            SyncState.start(ns.name(), "v1"));
    SyncState state = operation.step();
    for (int i = 0; i < 10 && !state.status().isFinal(); i++) {
      state = operation.step();
    }
    return state;
  }

  private io.fabric8.kubernetes.api.model.GenericKubernetesResource configMap(
      TestNamespace ns, String name, String colour) {
    return json.readYaml(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: %s, namespace: %s}
            data: {colour: %s}
            """
                .formatted(name, ns.name(), colour))
        .get(0);
  }

  private static boolean isRealApplyOfAConfigMapIn(TestNamespace ns, HttpRequest request) {
    String query = request.uri().getQuery();
    return request.method().equals("PATCH")
        && request.uri().getPath().contains("/namespaces/" + ns.name() + "/configmaps/")
        && (query == null || !query.contains("dryRun"));
  }

  /** An interceptor that runs {@code action} before each request is sent. */
  private static Interceptor onRequest(java.util.function.Consumer<HttpRequest> action) {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        action.accept(request);
      }
    };
  }

  /**
   * What a sync of green {@code a}–{@code f} over blue {@code a} and {@code old} that lost the API
   * server in the middle of its wave must leave. The objects of one kind are applied four at a
   * time, so which of them the fault stops depends on which request reaches it first: at least
   * {@code leastFailed} fail, as unavailable, every object of the wave has its entry, each one not
   * failed is in the cluster, nothing is pruned, and the inventory, written ahead, names every
   * object of the wave and {@code old}.
   */
  private static void assertFailedAsUnavailableLosingNothing(
      SyncState failed, KubernetesClient client, TestNamespace ns, int leastFailed) {
    assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(failed.message()).startsWith("wave 0 failed: ").contains(" failed (unavailable: ");
    List<ChangeSetEntry> failures = failed.changes().withAction(Action.FAILED);
    assertThat(failures)
        .hasSizeGreaterThanOrEqualTo(leastFailed)
        .extracting(ChangeSetEntry::failure)
        .containsOnly(java.util.Optional.of(ClusterFailure.UNAVAILABLE));
    // "old" has its entry too: kept, since a step whose apply failed prunes nothing.
    List<ChangeSetEntry> wave =
        failed.changes().entries().stream().filter(e -> !e.object().name().equals("old")).toList();
    assertThat(wave)
        .extracting(e -> e.object().name())
        .containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f");
    assertThat(failed.changes().withAction(Action.DELETED)).isEmpty();
    List<String> stored = List.of(configMaps(client, ns).split(","));
    for (ChangeSetEntry entry : wave) {
      if (entry.action() != Action.FAILED) {
        assertThat(entry.action()).isIn(Action.CREATED, Action.CONFIGURED);
        assertThat(stored).contains(entry.object().name());
      }
    }
    assertThat(stored).contains("old").isSubsetOf("a", "b", "c", "d", "e", "f", "old");
    assertThat(inventory(client, ns)).containsExactly("a", "b", "c", "d", "e", "f", "old");
  }

  private static String configMaps(KubernetesClient client, TestNamespace ns) {
    return client.configMaps().inNamespace(ns.name()).list().getItems().stream()
        .map(cm -> cm.getMetadata().getName())
        .filter(name -> !name.equals("kube-root-ca.crt"))
        .sorted()
        .collect(Collectors.joining(","));
  }

  private static List<String> colours(KubernetesClient client, TestNamespace ns) {
    return client.configMaps().inNamespace(ns.name()).list().getItems().stream()
        .filter(cm -> !cm.getMetadata().getName().equals("kube-root-ca.crt"))
        .sorted(java.util.Comparator.comparing(cm -> cm.getMetadata().getName()))
        .map(cm -> cm.getData().get("colour"))
        .toList();
  }

  private static List<String> inventory(KubernetesClient client, TestNamespace ns) {
    return new InventoryStore(ClusterGateway.over("direct", client), "tagflow-system")
        .load(ns.name()).objects().stream().map(ObjectRef::name).toList();
  }
}
