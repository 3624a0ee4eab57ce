package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.jdbc.JdbcStore;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code tagflow server} killed with SIGKILL in the middle of a sync of three waves, and started
 * again on the same data directory: the sync resumes where it was and ends as if nothing happened.
 */
@ExtendWith(LocalClusterExtension.class)
class ServerCrashIT {

  // Kept when the test fails: the two servers' logs are in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private final String name = "crash-" + UUID.randomUUID().toString().substring(0, 8);
  private Process server;

  @AfterEach
  void stop() {
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
    }
  }

  @Test
  void aServerKilledMidSyncResumesTheSyncAfterItsRestartAndAppliesEveryObjectOnce(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("app/settings.yaml", configMap("settings", "0"));
    // Wave 1 waits: its pods run but are not Ready until this test says so (below).
    repo.write("app/slow.yaml", slowDeployment("1"));
    repo.write("app/after.yaml", configMap("after", "2"));
    repo.write("app/after-service.yaml", service("after", "2"));
    repo.commit("three waves");
    Path apps = Files.createDirectories(temp.resolve("apps"));
    Files.writeString(
        apps.resolve(name + ".yaml"),
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: app}
          destination: {cluster: local, namespace: %s}
          syncPolicy: {automated: {prune: true, selfHeal: true}}
        """
            .formatted(name, repo.url(), ns.name()));
    Path data = temp.resolve("data");
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    Path restartedErr = temp.resolve("restarted.err");
    List<String> args =
        List.of(
            "server",
            "--data-dir",
            data.toString(),
            "--port",
            "0",
            "--apps",
            apps.toString(),
            "--kubeconfig",
            cluster.kubeconfig().toString(),
            "--poll-interval",
            "1s");

    server = TagflowProcess.of(args, out, err).start();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> Files.exists(data.resolve("tagflow.db")) || !server.isAlive());
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      // Killed once the server says (in its store) that the sync is in wave 1, and has applied it.
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  !server.isAlive()
                      || operation(store)
                              .map(o -> o.path("step").asText())
                              .orElse("")
                              .equals("wave 1")
                          && slowExists(client, ns.name()));
      assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
      assertThat(operation(store).orElseThrow().path("phase").asText()).isEqualTo("RUNNING");
      server.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isEqualTo(137);
      assertThat(store.operations().load(name)).as("the killed sync's saved state").isPresent();
      assertThat(client.configMaps().inNamespace(ns.name()).withName("after").get()).isNull();

      Instant restarted = Instant.now();
      server = TagflowProcess.of(args, temp.resolve("restarted.out"), restartedErr).start();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  !server.isAlive()
                      || store.events().recent(name, 50).stream()
                          .anyMatch(
                              e ->
                                  e.reason().equals("SyncResumed")
                                      && !e.time().isBefore(restarted)));
      assertThat(server.isAlive()).as(Files.readString(restartedErr)).isTrue();
      // kwok plays the kubelet and holds these pods unready by their label; the test now plays
      // the kubelet that reports them Ready, so wave 1 can end.
      markPodsReady(client, ns.name());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .apps()
                              .deployments()
                              .inNamespace(ns.name())
                              .withName("slow")
                              .get()
                              .getStatus()
                              .getAvailableReplicas())
                      .isEqualTo(2));

      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                assertThat(server.isAlive()).isTrue();
                assertThat(store.history().list(name))
                    .singleElement()
                    .extracting(e -> e.sync().result())
                    .isEqualTo(SyncResult.SUCCEEDED);
                assertThat(store.operations().load(name)).isEmpty();
              });

      HistoryEntry sync = store.history().list(name).getFirst();
      JsonNode changes = PlainJson.MAPPER.readTree(sync.sync().changeSetJson());
      Map<String, List<String>> actions = new TreeMap<>();
      changes.forEach(
          entry ->
              actions
                  .computeIfAbsent(
                      new ObjectRef(
                              entry.path("apiVersion").asText(),
                              entry.path("kind").asText(),
                              entry.path("namespace").asText(),
                              entry.path("name").asText())
                          .subject(),
                      s -> new ArrayList<>())
                  .add(entry.path("action").asText()));
      String prefix = ns.name() + "/";
      assertThat(actions)
          .as(changes.toString())
          .containsOnly(
              Map.entry("ConfigMap/" + prefix + "settings", List.of("CREATED")),
              Map.entry("Deployment/" + prefix + "slow", List.of("CREATED")),
              Map.entry("ConfigMap/" + prefix + "after", List.of("CREATED")),
              Map.entry("Service/" + prefix + "after", List.of("CREATED")));
      assertThat(store.events().recent(name, 100))
          .extracting(Event::reason)
          .contains("SyncResumed", "SyncSucceeded")
          .doesNotContain("SyncInterrupted", "SyncFailed");

      // The right content, applied once: no object was changed after its creation.
      assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get().getData())
          .containsEntry("wave", "0");
      assertThat(client.configMaps().inNamespace(ns.name()).withName("after").get().getData())
          .containsEntry("wave", "2");
      assertThat(
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns.name())
                  .withName("slow")
                  .get()
                  .getMetadata()
                  .getGeneration())
          .isEqualTo(1);

      // The inventory holds every object, and nothing Tagflow marked as its own is outside it.
      Set<ObjectRef> owned = owned(client, ns.name());
      try (ClusterGateway gateway = ClusterGateway.over("test", client)) {
        assertThat(
                new InventoryStore(gateway, InventoryStore.DEFAULT_NAMESPACE).load(name).objects())
            .containsExactlyInAnyOrderElementsOf(owned);
      }
      assertThat(owned).extracting(ObjectRef::subject).hasSize(4);
    } finally {
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
    }
  }

  /** The application's status document's {@code operation}, once the server wrote one. */
  private Optional<JsonNode> operation(Store store) throws Exception {
    var snapshot = store.statuses().get(name);
    if (snapshot.isEmpty()) {
      return Optional.empty();
    }
    JsonNode operation = PlainJson.MAPPER.readTree(snapshot.get().json()).path("operation");
    return operation.isMissingNode() ? Optional.empty() : Optional.of(operation);
  }

  private static boolean slowExists(KubernetesClient client, String namespace) {
    return client.apps().deployments().inNamespace(namespace).withName("slow").get() != null;
  }

  private static void markPodsReady(KubernetesClient client, String namespace) {
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabel("app", "slow").list().getItems();
    assertThat(pods).hasSize(2);
    for (Pod pod : pods) {
      client
          .pods()
          .inNamespace(namespace)
          .resource(pod)
          .editStatus(
              p -> {
                List<PodCondition> conditions =
                    new ArrayList<>(
                        p.getStatus().getConditions().stream()
                            .filter(c -> !Set.of("Ready", "ContainersReady").contains(c.getType()))
                            .toList());
                for (String type : List.of("Ready", "ContainersReady")) {
                  conditions.add(
                      new PodConditionBuilder()
                          .withType(type)
                          .withStatus("True")
                          .withLastTransitionTime(Instant.now().toString())
                          .build());
                }
                p.getStatus().setConditions(conditions);
                p.getStatus().getContainerStatuses().forEach(c -> c.setReady(true));
                return p;
              });
    }
  }

  /** Every object in the namespace that carries Tagflow's mark. */
  private static Set<ObjectRef> owned(KubernetesClient client, String namespace) {
    String mark = "app.kubernetes.io/managed-by";
    return Stream.<List<? extends HasMetadata>>of(
            client.configMaps().inNamespace(namespace).withLabel(mark, "tagflow").list().getItems(),
            client.services().inNamespace(namespace).withLabel(mark, "tagflow").list().getItems(),
            client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withLabel(mark, "tagflow")
                .list()
                .getItems())
        .flatMap(List::stream)
        .map(ObjectRef::of)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String configMap(String name, String wave) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
          annotations: {tagflow.dev/sync-wave: "%s"}
        data: {wave: "%s"}
        """
        .formatted(name, wave, wave);
  }

  private static String service(String name, String wave) {
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: %s
          annotations: {tagflow.dev/sync-wave: "%s"}
        spec:
          selector: {app: slow}
          ports: [{port: 80}]
        """
        .formatted(name, wave);
  }

  private static String slowDeployment(String wave) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: slow
          annotations: {tagflow.dev/sync-wave: "%s"}
        spec:
          replicas: 2
          selector: {matchLabels: {app: slow}}
          template:
            metadata: {labels: {app: slow, tagflow.dev/testkit-ready: "false"}}
            spec:
              containers:
                - {name: main, image: example.invalid/slow:1.0.0}
        """
        .formatted(wave);
  }
}
