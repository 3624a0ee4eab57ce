package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSetEntry;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sync stopped after a step resumes from its saved bytes alone ({@link SyncStateJson}), in a new
 * engine over a new client, as after a restart of Tagflow: nothing of the first engine survives but
 * the bytes.
 */
@ExtendWith(LocalClusterExtension.class)
class SyncResumeIT {

  private final ObjectJson json = new ObjectJson();
  private final SyncStateJson format = new SyncStateJson();

  @Test
  void aSyncResumesFromItsSavedBytesInAFreshEngineAndCompletes(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("direct", client);
    SyncState v1 =
        runToEnd(
            direct,
            request(ns, "v1", configMap("keep", "blue") + "---\n" + configMap("old", "blue")));
    assertThat(v1.status()).isEqualTo(SyncStatus.SUCCEEDED);
    String v2 = preSyncJob() + "---\n" + deployment() + "---\n" + configMap("keep", "green");

    byte[] saved;
    try (KubernetesClient before = local.newClient()) {
      SyncOperation first =
          new SyncOperation(
              engine(before), request(ns, "v2", v2), SyncState.start(ns.name(), "v2"));
      SyncState stopped = first.step();

      assertThat(stopped.status()).isEqualTo(SyncStatus.RUNNING);
      assertThat(stopped.generatedNames()).containsOnlyKeys("batch/Job/" + ns.name() + "/migrate-");
      assertThat(stopped.prune())
          .contains(
              List.of(new PruneTarget(new ObjectRef("v1", "ConfigMap", ns.name(), "old"), 0)));
      saved = format.write(stopped);
    }
    String generated = format.read(saved).generatedNames().values().iterator().next();

    SyncState end;
    try (KubernetesClient after = local.newClient()) {
      SyncOperation resumed =
          new SyncOperation(engine(after), request(ns, "v2", v2), format.read(saved));
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> resumed.step().status().isFinal());
      end = resumed.state();
    }

    assertThat(end.status()).as(end.message()).isEqualTo(SyncStatus.SUCCEEDED);
    // The hook run the first engine started is the one the resumed sync waited for and deleted.
    assertThat(end.changes().entries())
        .filteredOn(e -> e.object().kind().equals("Job"))
        .extracting(e -> e.object().name() + " " + e.action().word())
        .containsExactly(generated + " created", generated + " deleted");
    assertThat(end.changes().entries())
        .extracting(e -> e.object().name() + " " + e.action().word())
        .contains("db created", "keep configured", "old deleted");
    assertThat(client.configMaps().inNamespace(ns.name()).withName("keep").get().getData())
        .containsEntry("colour", "green");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.configMaps().inNamespace(ns.name()).withName("old").get() == null);
    assertThat(inventory(client, ns)).containsExactlyInAnyOrder("db", "keep");
  }

  @Test
  void aFailureRecordedBeforeTheRestartIsStillReportedAfterIt(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    ClusterGateway direct = ClusterGateway.over("direct", client);
    runToEnd(
        direct, request(ns, "v1", configMap("a", "blue") + "---\n" + configMap("old", "blue")));
    SyncRequest v2 = request(ns, "v2", configMap("a", "blue"));

    byte[] saved;
    // The API server is unreachable exactly when "old" is read to plan the prune.
    try (FaultyLink link = FaultyLink.to(local.serverUrl());
        KubernetesClient linked =
            local.newClient(
                link.url(),
                List.of(
                    onRequest(
                        request -> {
                          if (request.method().equals("GET")
                              && request
                                  .uri()
                                  .getPath()
                                  .endsWith("/namespaces/" + ns.name() + "/configmaps/old")) {
                            link.cut();
                          } else {
                            link.pass();
                          }
                        })))) {
      SyncOperation first = new SyncOperation(engine(linked), v2, SyncState.start(ns.name(), "v2"));
      SyncState stopped = first.step();

      assertThat(stopped.status()).isEqualTo(SyncStatus.RUNNING);
      assertThat(stopped.changes().withAction(Action.FAILED))
          .extracting(ChangeSetEntry::failure)
          .containsExactly(Optional.of(ClusterFailure.UNAVAILABLE));
      saved = format.write(stopped);
    }

    SyncState end;
    try (KubernetesClient after = local.newClient()) {
      SyncOperation resumed = new SyncOperation(engine(after), v2, format.read(saved));
      end = resumed.step();
      for (int i = 0; i < 5 && !end.status().isFinal(); i++) {
        end = resumed.step();
      }
    }

    assertThat(end.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(end.message())
        .startsWith("synced v2 except: ConfigMap/" + ns.name() + "/old failed (unavailable: ");
    assertThat(client.configMaps().inNamespace(ns.name()).withName("old").get()).isNotNull();
    assertThat(inventory(client, ns)).containsExactly("a", "old");
  }

  private static SyncEngine engine(KubernetesClient client) {
    ClusterGateway cluster = ClusterGateway.over("fresh", client);
    return SyncEngine.of(cluster, cluster, HealthRegistry.builtIn());
  }

  private SyncState runToEnd(ClusterGateway cluster, SyncRequest request) {
    SyncOperation operation =
        new SyncOperation(
            SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
            request,
            SyncState.start(request.application(), request.revision()));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> operation.step().status().isFinal());
    return operation.state();
  }

  private SyncRequest request(TestNamespace ns, String revision, String yaml) {
    return new SyncRequest(
        ns.name(),
        revision,
        ns.name(),
        json.readYaml(yaml),
        SyncOptions.defaults().withPrune(true));
  }

  private static Interceptor onRequest(java.util.function.Consumer<HttpRequest> action) {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        action.accept(request);
      }
    };
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

  private static String preSyncJob() {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata:
          generateName: migrate-
          annotations:
            argocd.argoproj.io/hook: PreSync
            argocd.argoproj.io/hook-delete-policy: HookSucceeded
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
                - {name: migrate, image: example.invalid/migrate:1.0.0}
        """;
  }

  private static String deployment() {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: db}
        spec:
          replicas: 1
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
                - {name: main, image: example.invalid/db:1.0.0}
        """;
  }
}
