package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.net.FaultyLink;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hooks with generateName, and SyncFail hooks awaited, on a real cluster. */
@ExtendWith(LocalClusterExtension.class)
class SyncHooksIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void aPreSyncJobWithGenerateNameRunsBeforeTheDeploymentAndIsDeletedAfterSuccess(
      KubernetesClient client, TestNamespace ns) {
    SyncRequest request =
        request(
            ns,
            job("db-migrate-", "PreSync", "HookSucceeded", false)
                + "---\n"
                + SyncOperationIT.deployment("web", 1, "true", "0"));

    SyncState saved = operation(client, request, SyncState.start(ns.name(), "v1")).step();
    List<Job> created = jobs(client, ns);
    assertThat(created).singleElement();
    String name = created.get(0).getMetadata().getName();
    assertThat(name).startsWith("db-migrate-");
    assertThat(saved.generatedNames())
        .containsEntry("batch/Job/" + ns.name() + "/db-migrate-", name);
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("web").get()).isNull();

    // A new operation (as after a restart) waits for the same Job instead of creating another.
    SyncState end = runToEnd(operation(client, request, saved));

    assertThat(end.status()).as(end.message()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(end.changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .containsExactly(
            "Job/" + ns.name() + "/" + name + " created",
            "Job/" + ns.name() + "/" + name + " deleted",
            "Deployment/" + ns.name() + "/web created");
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs(client, ns).isEmpty());
  }

  @Test
  void twoSyncsWithBeforeHookCreationLeaveOnlyTheLatestGeneratedJob(
      KubernetesClient client, TestNamespace ns) {
    SyncRequest request = request(ns, job("db-migrate-", "PreSync", "BeforeHookCreation", false));

    SyncState first = runToEnd(operation(client, request, SyncState.start(ns.name(), "v1")));
    SyncState second = runToEnd(operation(client, request, SyncState.start(ns.name(), "v2")));

    assertThat(first.status()).as(first.message()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(second.status()).as(second.message()).isEqualTo(SyncStatus.SUCCEEDED);
    String firstName = first.generatedNames().values().iterator().next();
    String secondName = second.generatedNames().values().iterator().next();
    assertThat(secondName).isNotEqualTo(firstName);
    assertThat(second.changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .containsExactly(
            "Job/" + ns.name() + "/" + firstName + " deleted",
            "Job/" + ns.name() + "/" + secondName + " created");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(jobs(client, ns))
                    .extracting(j -> j.getMetadata().getName())
                    .containsExactly(secondName));
  }

  @Test
  void aFailingPreSyncHookFailsTheSyncOnlyAfterTheSyncFailJobCompleted(
      KubernetesClient client, TestNamespace ns) {
    SyncRequest request =
        request(
            ns,
            job("db-migrate-", "PreSync", "HookSucceeded", true)
                + "---\n"
                + SyncOperationIT.deployment("web", 1, "true", "0")
                + "---\n"
                + job("alert-", "SyncFail", "BeforeHookCreation", false));
    SyncOperation operation = operation(client, request, SyncState.start(ns.name(), "v1"));

    SyncState end = runToEnd(operation);

    assertThat(end.status()).isEqualTo(SyncStatus.FAILED);
    String alert = end.generatedNames().get("batch/Job/" + ns.name() + "/alert-");
    String migrate = end.generatedNames().get("batch/Job/" + ns.name() + "/db-migrate-");
    assertThat(end.message())
        .startsWith("PreSync wave 0 failed: hook Job/" + ns.name() + "/" + migrate + ": Job failed")
        .endsWith("; SyncFail hook Job/" + ns.name() + "/" + alert + " succeeded");
    Job alertJob = client.batch().v1().jobs().inNamespace(ns.name()).withName(alert).get();
    assertThat(alertJob.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Complete");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("web").get()).isNull();
  }

  @Test
  void beforeHookCreationCreatesTheNewRunOnlyOnceTheEarlierOneIsGone(
      KubernetesClient client, TestNamespace ns) {
    SyncOptions options = SyncOptions.defaults().withWaitTimeout(Duration.ofSeconds(2));
    runToEnd(operation(client, hookRequest(ns, "1", options), SyncState.start(ns.name(), "v1")));
    // A finalizer keeps the earlier run in deletion until the test lets it go.
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("marker")
        .edit(
            cm -> {
              cm.getMetadata().setFinalizers(List.of("tagflow.dev/test-hold"));
              return cm;
            });

    SyncState held =
        runToEnd(
            operation(client, hookRequest(ns, "2", options), SyncState.start(ns.name(), "v2")));

    assertThat(held.status()).isEqualTo(SyncStatus.FAILED);
    assertThat(held.message())
        .contains("ConfigMap/" + ns.name() + "/marker failed")
        .contains("still being deleted after 2 s");
    var stuck = client.configMaps().inNamespace(ns.name()).withName("marker").get();
    assertThat(stuck.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(stuck.getData()).containsEntry("run", "1");

    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("marker")
        .edit(
            cm -> {
              cm.getMetadata().setFinalizers(List.of());
              return cm;
            });
    SyncState next =
        runToEnd(
            operation(client, hookRequest(ns, "2", options), SyncState.start(ns.name(), "v3")));

    assertThat(next.status()).as(next.message()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("marker").get().getData())
        .containsEntry("run", "2");
  }

  @Test
  void aHookThatCouldNotBeDeletedIsReportedFailedNotDeleted(
      LocalCluster local, KubernetesClient client, TestNamespace ns) {
    String deletePath = "/namespaces/" + ns.name() + "/configmaps/marker";
    try (FaultyLink link = FaultyLink.to(local.serverUrl());
        KubernetesClient linked =
            local.newClient(
                link.url(),
                List.of(
                    new Interceptor() {
                      @Override
                      public void before(
                          BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        if (request.method().equals("DELETE")
                            && request.uri().getPath().endsWith(deletePath)) {
                          link.cut();
                        } else {
                          link.pass();
                        }
                      }
                    }))) {
      String yaml =
          """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: marker
            annotations:
              argocd.argoproj.io/hook: PreSync
              argocd.argoproj.io/hook-delete-policy: HookSucceeded
          data: {run: "1"}
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings}
          data: {colour: blue}
          """;

      SyncState end =
          runToEnd(
              operation(
                  linked,
                  new SyncRequest(
                      ns.name(), "v1", ns.name(), json.readYaml(yaml), SyncOptions.defaults()),
                  SyncState.start(ns.name(), "v1")));

      assertThat(end.status()).isEqualTo(SyncStatus.FAILED);
      assertThat(end.changes().entries())
          .extracting(e -> e.object().name() + " " + e.action().word())
          .containsExactly("marker created", "marker failed", "settings created");
      assertThat(end.message())
          .contains("hook succeeded, but could not be deleted")
          .contains("unavailable");
      assertThat(client.configMaps().inNamespace(ns.name()).withName("marker").get()).isNotNull();
    }
  }

  /** A PreSync ConfigMap hook {@code marker} with BeforeHookCreation, holding {@code run}. */
  private SyncRequest hookRequest(TestNamespace ns, String run, SyncOptions options) {
    return new SyncRequest(
        ns.name(),
        "v" + run,
        ns.name(),
        json.readYaml(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: marker
              annotations:
                argocd.argoproj.io/hook: PreSync
                argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
            data: {run: "%s"}
            """
                .formatted(run)),
        options);
  }

  private SyncState runToEnd(SyncOperation operation) {
    AtomicReference<SyncState> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              last.set(operation.step());
              assertThat(last.get().status().isFinal()).as(() -> last.get().message()).isTrue();
            });
    return last.get();
  }

  private static List<Job> jobs(KubernetesClient client, TestNamespace ns) {
    return client.batch().v1().jobs().inNamespace(ns.name()).list().getItems();
  }

  private SyncOperation operation(KubernetesClient client, SyncRequest request, SyncState state) {
    ClusterGateway cluster = ClusterGateway.over("test", client);
    return new SyncOperation(
        SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()), request, state);
  }

  private SyncRequest request(TestNamespace ns, String yaml) {
    return new SyncRequest(
        ns.name(), "v1", ns.name(), json.readYaml(yaml), SyncOptions.defaults().withPrune(true));
  }

  /** A hook Job with generateName; with {@code fails} its pod fails. */
  private static String job(String generateName, String phase, String deletePolicy, boolean fails) {
    String podLabels =
        fails ? "    metadata: {labels: {tagflow.dev/testkit-fail: \"true\"}}\n" : "";
    return """
        apiVersion: batch/v1
        kind: Job
        metadata:
          generateName: %s
          annotations:
            argocd.argoproj.io/hook: %s
            argocd.argoproj.io/hook-delete-policy: %s
        spec:
          backoffLimit: 0
          template:
        %s    spec:
              restartPolicy: Never
              containers:
                - {name: main, image: example.invalid/hook:1.0.0}
        """
        .formatted(generateName, phase, deletePolicy, podLabels);
  }
}
