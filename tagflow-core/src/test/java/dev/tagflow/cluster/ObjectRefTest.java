package dev.tagflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import org.junit.jupiter.api.Test;

class ObjectRefTest {

  private final ObjectJson json = new ObjectJson();

  @Test
  void theSameObjectServedInTwoVersionsIsOneObject() {
    ObjectRef v1 = new ObjectRef("autoscaling/v1", "HorizontalPodAutoscaler", "shop", "web");
    ObjectRef v2 = new ObjectRef("autoscaling/v2", "HorizontalPodAutoscaler", "shop", "web");

    assertThat(v1).isEqualTo(v2).hasSameHashCodeAs(v2);
    assertThat(v1.group()).isEqualTo("autoscaling");
    assertThat(v1.version()).isEqualTo("v1");
  }

  @Test
  void namesObjectsAsKindNamespaceName() {
    assertThat(new ObjectRef("apps/v1", "Deployment", "shop", "web").subject())
        .isEqualTo("Deployment/shop/web");
    assertThat(new ObjectRef("v1", "Namespace", "", "shop").subject()).isEqualTo("Namespace/shop");
    assertThat(new ObjectRef("v1", "ConfigMap", null, "a").namespace()).isEmpty();
  }

  @Test
  void anObjectWithoutANameIsAClearError() {
    var unnamed =
        json.readYaml(
                """
                apiVersion: batch/v1
                kind: Job
                metadata: {generateName: migrate-}
                """)
            .get(0);

    assertThatThrownBy(() -> ObjectRef.of(unnamed))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("metadata.name")
        .hasMessageContaining("generateName is not supported");
  }
}
