package dev.tagflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class LiveStateCacheIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void seesObjectsCreatedChangedAndDeletedAfterItStartedWatchingWithoutMoreRequests(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    try (ClusterConnections connections = new ClusterConnections(local.kubeconfig());
        LiveStateCache cache = new LiveStateCache(connections.connect(Optional.empty()))) {
      ClusterGateway cluster = connections.connect(Optional.empty());
      ObjectRef ref = new ObjectRef("v1", "ConfigMap", ns.name(), "watched");
      assertThat(cache.live(ref)).isEmpty();
      long requests = cluster.requests().total();

      client
          .configMaps()
          .inNamespace(ns.name())
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("watched")
                  .endMetadata()
                  .addToData("colour", "blue")
                  .build())
          .create();
      await().atMost(Duration.ofSeconds(10)).until(() -> cache.live(ref).isPresent());
      client
          .configMaps()
          .inNamespace(ns.name())
          .withName("watched")
          .edit(cm -> new ConfigMapBuilder(cm).addToData("colour", "red").build());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "red".equals(cache.live(ref).orElseThrow().get("data", "colour")));
      client.configMaps().inNamespace(ns.name()).withName("watched").delete();
      await().atMost(Duration.ofSeconds(10)).until(() -> cache.live(ref).isEmpty());

      assertThat(cluster.requests().total()).isEqualTo(requests);
    }
  }

  @Test
  void watchesAKindInOneNamespaceOnlyUntilTheKindIsWatchedEverywhere(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    try (ClusterConnections connections = new ClusterConnections(local.kubeconfig());
        LiveStateCache cache = new LiveStateCache(connections.connect(Optional.empty()))) {
      ClusterGateway cluster = connections.connect(Optional.empty());
      ApiResource configMaps = cluster.discovery().require("v1", "ConfigMap");
      // Every namespace gets its kube-root-ca.crt from the controller-manager, some time after
      // the namespace is made (a first read found none once): the namespace's watch brings it.
      // Only this namespace's may come back.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !cache.inNamespace(configMaps, ns.name()).isEmpty());
      assertThat(cache.inNamespace(configMaps, ns.name()))
          .allSatisfy(cm -> assertThat(cm.getMetadata().getNamespace()).isEqualTo(ns.name()));
      assertThat(cache.isWatched(configMaps)).isFalse();
      long requests = cluster.requests().total();
      client
          .configMaps()
          .inNamespace(ns.name())
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("owned")
                  .endMetadata()
                  .addToData("colour", "blue")
                  .build())
          .create();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  cache.inNamespace(configMaps, ns.name()).stream()
                      .anyMatch(cm -> cm.getMetadata().getName().equals("owned")));
      // Watched: no request to read it again.
      assertThat(cluster.requests().total()).isEqualTo(requests);
      // Once the kind is watched everywhere, that watch answers, still for the namespace only.
      cache.watch(List.of(configMaps));
      assertThat(cache.inNamespace(configMaps, ns.name()))
          .anyMatch(cm -> cm.getMetadata().getName().equals("owned"))
          .allSatisfy(cm -> assertThat(cm.getMetadata().getNamespace()).isEqualTo(ns.name()));
    }
  }

  @Test
  void discoveryFindsAKindWhoseCrdAppearedAfterTheFirstLookUp(
      KubernetesClient client, TestNamespace ns) {
    String group = ns.name() + ".tagflow.dev";
    ClusterGateway cluster = ClusterGateway.over("test", client);
    assertThat(cluster.discovery().find(group + "/v1", "Gadget")).isEmpty();
    try {
      cluster.apply(
          json.readYaml(
                  """
                  apiVersion: apiextensions.k8s.io/v1
                  kind: CustomResourceDefinition
                  metadata: {name: gadgets.%1$s}
                  spec:
                    group: %1$s
                    scope: Cluster
                    names: {kind: Gadget, plural: gadgets}
                    versions:
                      - name: v1
                        served: true
                        storage: true
                        schema:
                          openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  """
                      .formatted(group))
              .get(0),
          ApplyCall.forced("tagflow"));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(cluster.discovery().find(group + "/v1", "Gadget"))
                      .hasValueSatisfying(
                          type -> {
                            assertThat(type.plural()).isEqualTo("gadgets");
                            assertThat(type.namespaced()).isFalse();
                          }));
      assertThat(cluster.discovery().preferredVersion(group)).contains("v1");
    } finally {
      client.apiextensions().v1().customResourceDefinitions().withName("gadgets." + group).delete();
    }
  }

  @Test
  void countsEveryRequestByMethod(LocalCluster local, TestNamespace ns) {
    try (ClusterConnections connections = new ClusterConnections(local.kubeconfig())) {
      ClusterGateway cluster = connections.connect(Optional.empty());
      ObjectRef ref = new ObjectRef("v1", "ConfigMap", ns.name(), "counted");
      cluster.discovery().require(ref);
      long before = cluster.requests().total();

      cluster.get(ref);
      cluster.apply(
          json.readYaml(
                  """
                  apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: counted, namespace: %s}
                  """
                      .formatted(ns.name()))
              .get(0),
          ApplyCall.forced("tagflow"));
      cluster.list(cluster.discovery().require(ref), ns.name(), java.util.Map.of());

      assertThat(cluster.requests().total() - before).isEqualTo(3);
      assertThat(cluster.requests().byMethod()).containsKeys("GET", "PATCH");
      assertThat(List.of(cluster.name())).doesNotContainNull();
    }
  }
}
