package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class SyncOperationIT {

  private final ObjectJson json = new ObjectJson();

  @Test
  void aWaveWaitsUntilTheWaveBeforeItIsHealthyAndSaysWhatBlocksIt(
      KubernetesClient client, TestNamespace ns) {
    SyncRequest request =
        request(ns, deployment("db", 2, "false", "-1") + "---\n" + configMap("settings", "0"));
    SyncOperation operation = operation(client, request, SyncState.start(ns.name(), "v1"));

    operation.step();
    SyncState blocked = operation.step();

    assertThat(blocked.status()).isEqualTo(SyncStatus.RUNNING);
    assertThat(blocked.message())
        .startsWith("wave -1 waits for Deployment " + ns.name() + "/db: Progressing");
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNull();
  }

  @Test
  void theLastWaveIsDoneWhenAppliedThoughItsDeploymentNeverBecomesReady(
      KubernetesClient client, TestNamespace ns) {
    // As Argo CD: only a wave something comes after is awaited for health; the last wave's
    // health is the application's status, not the sync's outcome.
    SyncRequest request =
        request(ns, configMap("settings", "-1") + "---\n" + deployment("web", 1, "false", "0"));
    SyncOperation operation = operation(client, request, SyncState.start(ns.name(), "v1"));

    SyncState end = null;
    for (int i = 0; i < 5 && (end == null || !end.status().isFinal()); i++) {
      end = operation.step();
    }

    assertThat(end.status()).as(end.message()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(end.changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .containsExactly(
            "ConfigMap/" + ns.name() + "/settings created",
            "Deployment/" + ns.name() + "/web created");
    assertThat(end.message()).startsWith("synced v1");
  }

  @Test
  void runsWaveByWaveToSuccessAndResumesFromItsSavedState(
      KubernetesClient client, TestNamespace ns) {
    SyncRequest request =
        request(ns, deployment("db", 2, "true", "-1") + "---\n" + configMap("settings", "0"));
    SyncState saved = operation(client, request, SyncState.start(ns.name(), "v1")).step();
    assertThat(saved.status()).isEqualTo(SyncStatus.RUNNING);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNull();

    // A new operation (as after a restart) picks up from the saved state.
    SyncOperation resumed = operation(client, request, saved);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(resumed.step().status())
                    .as(() -> resumed.state().message())
                    .isEqualTo(SyncStatus.SUCCEEDED));

    assertThat(resumed.state().status()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(resumed.state().changes().entries())
        .extracting(ChangeSetEntry::subject)
        .containsExactly("Deployment/" + ns.name() + "/db", "ConfigMap/" + ns.name() + "/settings");
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNotNull();
  }

  @Test
  void aPreSyncHookJobRunsBeforeTheDeploymentAndIsDeletedAfterSuccess(
      KubernetesClient client, TestNamespace ns) {
    SyncRequest request =
        request(ns, preSyncJob("migrate") + "---\n" + deployment("web", 1, "true", "0"));
    SyncOperation operation = operation(client, request, SyncState.start(ns.name(), "v1"));

    operation.step();
    assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName("migrate").get())
        .isNotNull();
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("web").get()).isNull();

    AtomicReference<SyncState> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              last.set(operation.step());
              assertThat(last.get().status())
                  .as(() -> last.get().message())
                  .isEqualTo(SyncStatus.SUCCEEDED);
            });

    assertThat(last.get().status()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(last.get().changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .containsExactly(
            "Job/" + ns.name() + "/migrate created",
            "Job/" + ns.name() + "/migrate deleted",
            "Deployment/" + ns.name() + "/web created");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.batch().v1().jobs().inNamespace(ns.name()).withName("migrate").get()
                    == null);
  }

  @Test
  void aFailedPreSyncHookFailsTheSyncBeforeTheDeploymentAndRunsTheSyncFailHooks(
      KubernetesClient client, TestNamespace ns) {
    String failingJob =
        preSyncJob("migrate")
            .replace("HookSucceeded", "HookFailed")
            .replace(
                "  template:\n",
                "  template:\n    metadata: {labels: {tagflow.dev/testkit-fail: \"true\"}}\n");
    String syncFailHook =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: sync-failed
          annotations: {argocd.argoproj.io/hook: SyncFail}
        data: {reason: migrate}
        """;
    SyncRequest request =
        request(
            ns, failingJob + "---\n" + deployment("web", 1, "true", "0") + "---\n" + syncFailHook);
    SyncOperation operation = operation(client, request, SyncState.start(ns.name(), "v1"));

    AtomicReference<SyncState> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              last.set(operation.step());
              assertThat(last.get().status())
                  .as(() -> last.get().message())
                  .isEqualTo(SyncStatus.FAILED);
            });

    assertThat(last.get().message())
        .startsWith("PreSync wave 0 failed: hook Job/" + ns.name() + "/migrate: Job failed");
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("web").get()).isNull();
    assertThat(client.configMaps().inNamespace(ns.name()).withName("sync-failed").get())
        .isNotNull();
    assertThat(last.get().changes().entries())
        .extracting(e -> e.subject() + " " + e.action().word())
        .contains("Job/" + ns.name() + "/migrate deleted");
  }

  @Test
  void aDryRunSyncChangesNothingAndRunsNoHook(KubernetesClient client, TestNamespace ns) {
    SyncRequest request =
        new SyncRequest(
            ns.name(),
            "v1",
            ns.name(),
            json.readYaml(preSyncJob("migrate") + "---\n" + configMap("settings", "0")),
            SyncOptions.defaults().withDryRun(true));
    SyncOperation operation = operation(client, request, SyncState.start(ns.name(), "v1"));

    SyncState end = null;
    for (int i = 0; i < 5 && (end == null || !end.status().isFinal()); i++) {
      end = operation.step();
    }

    assertThat(end.status()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(end.changes().entries())
        .extracting(ChangeSetEntry::action)
        .containsExactly(Action.SKIPPED, Action.CREATED);
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNull();
    assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName("migrate").get())
        .isNull();
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

  private static String configMap(String name, String wave) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
          annotations: {tagflow.dev/sync-wave: "%s"}
        data: {colour: blue}
        """
        .formatted(name, wave);
  }

  /** A Deployment; with {@code ready} "false" its pods run but never become Ready. */
  static String deployment(String name, int replicas, String ready, String wave) {
    String readyLabel = ready.equals("false") ? ", tagflow.dev/testkit-ready: \"false\"" : "";
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
          annotations: {argocd.argoproj.io/sync-wave: "%4$s"}
        spec:
          replicas: %2$d
          progressDeadlineSeconds: 600
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s%3$s}}
            spec:
              containers:
                - {name: main, image: example.invalid/%1$s:1.0.0}
        """
        .formatted(name, replicas, readyLabel, wave);
  }

  private static String preSyncJob(String name) {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: %s
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
        """
        .formatted(name);
  }
}
