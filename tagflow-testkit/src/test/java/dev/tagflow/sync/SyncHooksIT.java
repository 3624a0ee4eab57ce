package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
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
