package dev.tagflow.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class LocalClusterIT {

  @Test
  void serverSideApplyCreatesTheObjectAndANoOpApplyKeepsItsResourceVersion(
      KubernetesClient client, TestNamespace ns) {
    ConfigMap desired = configMap(ns, "settings", Map.of("colour", "blue"));

    ConfigMap created =
        client
            .configMaps()
            .inNamespace(ns.name())
            .resource(desired)
            .fieldManager("tagflow")
            .serverSideApply();
    ConfigMap again =
        client
            .configMaps()
            .inNamespace(ns.name())
            .resource(desired)
            .fieldManager("tagflow")
            .serverSideApply();

    assertThat(created.getData()).containsEntry("colour", "blue");
    assertThat(created.getMetadata().getManagedFields())
        .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("tagflow"));
    assertThat(again.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
  }

  @Test
  void aSecondManagersConflictingApplyIsRefusedUnlessForced(
      KubernetesClient client, TestNamespace ns) {
    client
        .configMaps()
        .inNamespace(ns.name())
        .resource(configMap(ns, "owned", Map.of("colour", "blue")))
        .fieldManager("tagflow")
        .serverSideApply();
    ConfigMap theirs = configMap(ns, "owned", Map.of("colour", "red"));

    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace(ns.name())
                    .resource(theirs)
                    .fieldManager("someone-else")
                    .serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    ConfigMap forced =
        client
            .configMaps()
            .inNamespace(ns.name())
            .resource(theirs)
            .fieldManager("someone-else")
            .forceConflicts()
            .serverSideApply();
    assertThat(forced.getData()).containsEntry("colour", "red");
  }

  @Test
  void aDeploymentBecomesAvailableWithTwoReadyPodsOnKwokNodes(
      KubernetesClient client, TestNamespace ns) {
    client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .resource(SimulatedWorkloads.deployment(ns.name(), "web", Map.of(), 600))
        .create();

    Deployment available =
        client
            .apps()
            .deployments()
            .inNamespace(ns.name())
            .withName("web")
            .waitUntilCondition(
                d ->
                    d != null
                        && condition(d, "Available")
                            .map(c -> c.getStatus().equals("True"))
                            .orElse(false)
                        && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
                60,
                java.util.concurrent.TimeUnit.SECONDS);

    assertThat(available.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(client.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems())
        .hasSize(2)
        .allSatisfy(
            pod -> {
              assertThat(pod.getSpec().getNodeName()).startsWith("kwok-node-");
              assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            });
  }

  @Test
  void aPodLabelledToFailReachesPhaseFailed(KubernetesClient client, TestNamespace ns) {
    Pod pod = SimulatedWorkloads.failingPod(ns.name(), "doomed");
    client.pods().inNamespace(ns.name()).resource(pod).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .pods()
                            .inNamespace(ns.name())
                            .withName("doomed")
                            .get()
                            .getStatus()
                            .getPhase())
                    .isEqualTo("Failed"));
  }

  @Test
  void aDeploymentWhosePodsNeverBecomeReadyReportsProgressDeadlineExceeded(
      KubernetesClient client, TestNamespace ns) {
    client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .resource(
            SimulatedWorkloads.deployment(
                ns.name(), "stuck", Map.of(LocalCluster.READY_LABEL, "false"), 5))
        .create();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Deployment d =
                  client.apps().deployments().inNamespace(ns.name()).withName("stuck").get();
              assertThat(condition(d, "Progressing"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
                      });
            });
    assertThat(client.pods().inNamespace(ns.name()).withLabel("app", "stuck").list().getItems())
        .allSatisfy(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Running"));
  }

  private static ConfigMap configMap(TestNamespace ns, String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns.name())
        .endMetadata()
        .withData(data)
        .build();
  }

  private static Optional<DeploymentCondition> condition(Deployment d, String type) {
    if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
