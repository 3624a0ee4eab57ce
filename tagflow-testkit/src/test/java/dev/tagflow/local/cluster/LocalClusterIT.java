package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  @Test
  void aLoadBalancerServiceGetsAnAddressAndOneWithAnotherLoadBalancerClassDoesNot(
      KubernetesClient client, TestNamespace ns) {
    client
        .services()
        .inNamespace(ns.name())
        .resource(loadBalancer("elsewhere", "example.com/other-cloud"))
        .create();
    client.services().inNamespace(ns.name()).resource(loadBalancer("public", null)).create();

    Service served =
        client
            .services()
            .inNamespace(ns.name())
            .withName("public")
            .waitUntilCondition(
                s -> s != null && !s.getStatus().getLoadBalancer().getIngress().isEmpty(),
                60,
                TimeUnit.SECONDS);

    String clusterIp = served.getSpec().getClusterIP();
    assertThat(served.getStatus().getLoadBalancer().getIngress())
        .singleElement()
        .satisfies(
            ingress ->
                assertThat(ingress.getIp())
                    .isEqualTo(
                        "198.51.100." + clusterIp.substring(clusterIp.lastIndexOf('.') + 1)));
    // kwok sees Services in the order of their watch events: by the time it served the second,
    // it had judged the first, and left it to its class's controller.
    assertThat(
            client
                .services()
                .inNamespace(ns.name())
                .withName("elsewhere")
                .get()
                .getStatus()
                .getLoadBalancer()
                .getIngress())
        .isEmpty();
  }

  @Test
  void anIngressGetsTheAddressOfTheSimulatedIngressController(
      KubernetesClient client, TestNamespace ns) {
    Ingress ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName("site")
            .endMetadata()
            .withNewSpec()
            .withNewDefaultBackend()
            .withNewService()
            .withName("web")
            .withNewPort()
            .withNumber(80)
            .endPort()
            .endService()
            .endDefaultBackend()
            .endSpec()
            .build();
    client.network().v1().ingresses().inNamespace(ns.name()).resource(ingress).create();

    Ingress served =
        client
            .network()
            .v1()
            .ingresses()
            .inNamespace(ns.name())
            .withName("site")
            .waitUntilCondition(
                i ->
                    i != null
                        && i.getStatus() != null
                        && i.getStatus().getLoadBalancer() != null
                        && !i.getStatus().getLoadBalancer().getIngress().isEmpty(),
                60,
                TimeUnit.SECONDS);

    assertThat(served.getStatus().getLoadBalancer().getIngress())
        .extracting(IngressLoadBalancerIngress::getIp)
        .containsExactly("198.51.100.1");
  }

  @Test
  void aClaimThatNamesNoClassIsBoundToAHostPathVolumeOfTheDefaultClass(
      KubernetesClient client, TestNamespace ns) {
    PersistentVolumeClaim claim =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName("data")
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity("1Gi"))
            .endResources()
            .endSpec()
            .build();
    client.persistentVolumeClaims().inNamespace(ns.name()).resource(claim).create();

    PersistentVolumeClaim bound =
        client
            .persistentVolumeClaims()
            .inNamespace(ns.name())
            .withName("data")
            .waitUntilCondition(
                c -> c != null && "Bound".equals(c.getStatus().getPhase()), 60, TimeUnit.SECONDS);

    assertThat(bound.getSpec().getStorageClassName()).isEqualTo("standard");
    PersistentVolume volume =
        client.persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
    assertThat(volume.getSpec().getHostPath().getPath()).startsWith("/tmp/hostpath_pv/");
    assertThat(volume.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
  }

  @Test
  void podUsageIsServedByTheMetricsApiAsThePodsKwokAnnotationSays(
      KubernetesClient client, TestNamespace ns) {
    Deployment busy = SimulatedWorkloads.deployment(ns.name(), "busy", Map.of(), 600);
    busy.getSpec()
        .getTemplate()
        .getMetadata()
        .setAnnotations(
            Map.of("kwok.x-k8s.io/usage-cpu", "250m", "kwok.x-k8s.io/usage-memory", "300Mi"));
    client.apps().deployments().inNamespace(ns.name()).resource(busy).create();

    // metrics-server needs two scrapes, 10 s apart, to compute a CPU rate.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(client.top().pods().metrics(ns.name()).getItems())
                    .hasSize(2)
                    .allSatisfy(
                        pod -> {
                          ContainerMetrics main = pod.getContainers().getFirst();
                          assertThat(main.getUsage().get("memory"))
                              .isEqualTo(new Quantity("300Mi"));
                          assertThat(Quantity.getAmountInBytes(main.getUsage().get("cpu")))
                              .isBetween(new BigDecimal("0.24"), new BigDecimal("0.26"));
                        }));
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

  private static Service loadBalancer(String name, String loadBalancerClass) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withLoadBalancerClass(loadBalancerClass)
        .addToSelector("app", name)
        .addNewPort()
        .withPort(443)
        .endPort()
        .endSpec()
        .build();
  }

  private static Optional<DeploymentCondition> condition(Deployment d, String type) {
    if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
