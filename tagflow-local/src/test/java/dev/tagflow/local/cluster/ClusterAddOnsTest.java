package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class ClusterAddOnsTest {

  @Test
  void theDefaultStorageClassIsStandardServedByTheHostPathProvisioner() {
    StorageClass standard = ClusterAddOns.defaultStorageClass();

    assertThat(standard.getMetadata().getName()).isEqualTo("standard");
    assertThat(standard.getMetadata().getAnnotations())
        .containsEntry("storageclass.kubernetes.io/is-default-class", "true");
    assertThat(standard.getProvisioner()).isEqualTo("kubernetes.io/host-path");
    assertThat(standard.getVolumeBindingMode()).isEqualTo("Immediate");
    assertThat(standard.getReclaimPolicy()).isEqualTo("Delete");
  }

  @Test
  void theMetricsApiIsServedByMetricsServerOnLoopbackAtItsPortWithTheClusterCa() {
    Service service = ClusterAddOns.metricsServerService(16447);
    GenericKubernetesResource api = ClusterAddOns.metricsApiService(16447, "Q0E=");

    assertThat(service.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(service.getSpec().getType()).isEqualTo("ExternalName");
    assertThat(service.getSpec().getExternalName()).isEqualTo("127.0.0.1");
    assertThat(api.getMetadata().getName()).isEqualTo("v1beta1.metrics.k8s.io");
    assertThat(api.getAdditionalProperties().get("spec"))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("group", "metrics.k8s.io")
        .containsEntry("version", "v1beta1")
        .containsEntry("caBundle", "Q0E=")
        .containsEntry(
            "service",
            Map.of(
                "namespace",
                service.getMetadata().getNamespace(),
                "name",
                service.getMetadata().getName(),
                "port",
                16447));
  }
}
