package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.testkit.cluster.LocalCluster;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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
    client.apps().deployments().resource(deployment(ns, "web", Map.of(), 600)).create();

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
        .resource(deployment(ns, "stuck", Map.of(LocalCluster.READY_LABEL, "false"), 5))
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
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("doomed")
            .withNamespace(ns.name())
            .addToLabels(LocalCluster.FAIL_LABEL, "true")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("main")
            .withImage("example.invalid/app:1.0.0")
            .endContainer()
            .endSpec()
            .build();
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

  private static Deployment deployment(
      TestNamespace ns, String name, Map<String, String> podLabels, int progressDeadlineSeconds) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns.name())
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withProgressDeadlineSeconds(progressDeadlineSeconds)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .addToLabels(podLabels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("example.invalid/" + name + ":1.0.0")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
