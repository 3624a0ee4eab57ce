package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.cluster.SimulatedWorkloads;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The built-in checks judge live objects the real controllers wrote, read as generic objects. */
@ExtendWith(LocalClusterExtension.class)
class HealthRegistryIT {

  private final HealthRegistry registry = HealthRegistry.builtIn();

  @Test
  void aDeploymentWhosePodsBecomeReadyBecomesHealthy(KubernetesClient client, TestNamespace ns) {
    client
        .apps()
        .deployments()
        .resource(SimulatedWorkloads.deployment(ns.name(), "web", Map.of(), 600))
        .create();

    AtomicReference<HealthStatus> verdict = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              verdict.set(registry.assess(live(client, ns, "apps/v1", "Deployment", "web")));
              assertThat(verdict.get().health()).isEqualTo(Health.HEALTHY);
            });

    assertThat(verdict.get().message())
        .isEqualTo("Deployment " + ns.name() + "/web: 2/2 replicas available");
    List<HealthStatus> pods =
        client
            .genericKubernetesResources("v1", "Pod")
            .inNamespace(ns.name())
            .list()
            .getItems()
            .stream()
            .map(registry::assess)
            .toList();
    assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.health()).isEqualTo(Health.HEALTHY));
  }

  @Test
  void aDeploymentWhosePodsNeverBecomeReadyBecomesDegradedWithTheDeadlineMessage(
      KubernetesClient client, TestNamespace ns) {
    client
        .apps()
        .deployments()
        .resource(
            SimulatedWorkloads.deployment(
                ns.name(), "stuck", Map.of(LocalCluster.READY_LABEL, "false"), 5))
        .create();

    AtomicReference<HealthStatus> verdict = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              verdict.set(registry.assess(live(client, ns, "apps/v1", "Deployment", "stuck")));
              assertThat(verdict.get().health()).isEqualTo(Health.DEGRADED);
            });

    assertThat(verdict.get().message())
        .startsWith("Deployment " + ns.name() + "/stuck: progress deadline exceeded: ")
        .contains("has timed out progressing");
  }

  @Test
  void aPodThatFailsIsDegraded(KubernetesClient client, TestNamespace ns) {
    Pod pod = SimulatedWorkloads.failingPod(ns.name(), "doomed");
    client.pods().resource(pod).create();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(registry.assess(live(client, ns, "v1", "Pod", "doomed")))
                    .satisfies(
                        v -> {
                          assertThat(v.health()).isEqualTo(Health.DEGRADED);
                          assertThat(v.message())
                              .startsWith("Pod " + ns.name() + "/doomed: failed");
                        }));
  }

  @Test
  void aCustomResourceDefinitionBecomesHealthyAndItsObjectsAreJudgedByTheirConditions(
      KubernetesClient client, TestNamespace ns) {
    String group = ns.name() + ".tagflow.test";
    GenericKubernetesResource crd =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: backups.%s}
                spec:
                  group: %s
                  scope: Namespaced
                  names: {plural: backups, singular: backup, kind: Backup, listKind: BackupList}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
                """
                    .formatted(group, group),
                GenericKubernetesResource.class);
    client.resource(crd).create();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          registry.assess(
                              client
                                  .genericKubernetesResources(
                                      "apiextensions.k8s.io/v1", "CustomResourceDefinition")
                                  .withName("backups." + group)
                                  .get()))
                      .isEqualTo(
                          HealthStatus.healthy(
                              "CustomResourceDefinition backups." + group + ": established")));

      GenericKubernetesResource backup =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  """
                  apiVersion: %s/v1
                  kind: Backup
                  metadata: {name: nightly, namespace: %s}
                  status:
                    conditions:
                      - {type: Ready, status: "False", reason: Failed, message: bucket not reachable}
                  """
                      .formatted(group, ns.name()),
                  GenericKubernetesResource.class);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(() -> client.resource(backup).create());

      assertThat(registry.assess(live(client, ns, group + "/v1", "Backup", "nightly")))
          .isEqualTo(
              HealthStatus.degraded(
                  "Backup " + ns.name() + "/nightly: Ready: bucket not reachable"));
    } finally {
      client.resource(crd).delete();
    }
  }

  private static GenericKubernetesResource live(
      KubernetesClient client, TestNamespace ns, String apiVersion, String kind, String name) {
    GenericKubernetesResource object =
        client
            .genericKubernetesResources(apiVersion, kind)
            .inNamespace(ns.name())
            .withName(name)
            .get();
    assertThat(object).as("%s %s/%s", kind, ns.name(), name).isNotNull();
    return object;
  }
}
