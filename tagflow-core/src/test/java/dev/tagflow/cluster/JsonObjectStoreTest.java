package dev.tagflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonObjectStoreTest {

  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final JsonObjectStore store = new JsonObjectStore(serialization);

  @Test
  void anObjectReadBackIsEqualToTheOneStoredButNotTheSameInstance() {
    GenericKubernetesResource deployment = deployment("web", "shop", "41");
    store.put(store.getKey(deployment), deployment);

    GenericKubernetesResource read = store.get("shop/web");

    assertThat(read).isNotSameAs(deployment);
    assertThat(serialization.asJson(read)).isEqualTo(serialization.asJson(deployment));
    assertThat(read.getAdditionalProperties().get("spec"))
        .isEqualTo(
            Map.of(
                "replicas",
                2,
                "template",
                Map.of("metadata", Map.of("labels", Map.of("app", "web")))));
  }

  @Test
  void changingWhatWasReadDoesNotChangeTheStore() {
    store.put("shop/web", deployment("web", "shop", "41"));

    GenericKubernetesResource read = store.get("shop/web");
    read.getMetadata().setResourceVersion("999");
    read.getAdditionalProperties().put("spec", Map.of("replicas", 9));

    GenericKubernetesResource again = store.get("shop/web");
    assertThat(again.getMetadata().getResourceVersion()).isEqualTo("41");
    assertThat(again.getAdditionalProperties().get("spec")).isNotEqualTo(Map.of("replicas", 9));
  }

  @Test
  void putAndRemoveAnswerWithThePreviousObjectAsTheInformerExpects() {
    assertThat(store.put("shop/web", deployment("web", "shop", "41"))).isNull();

    GenericKubernetesResource previous = store.put("shop/web", deployment("web", "shop", "42"));
    assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("41");

    GenericKubernetesResource removed = store.remove("shop/web");
    assertThat(removed.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(store.get("shop/web")).isNull();
    assertThat(store.remove("shop/web")).isNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void keysAreNamespaceSlashNameOrTheNameOfAClusterWideObject() {
    GenericKubernetesResource namespace =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("v1")
            .withKind("Namespace")
            .withNewMetadata()
            .withName("shop")
            .endMetadata()
            .build();

    assertThat(store.getKey(deployment("web", "shop", "1"))).isEqualTo("shop/web");
    assertThat(store.getKey(namespace)).isEqualTo("shop");
  }

  @Test
  void keysAndValuesListEveryObject() {
    store.put("shop/web", deployment("web", "shop", "1"));
    store.put("shop/api", deployment("api", "shop", "2"));
    store.put("blog/web", deployment("web", "blog", "3"));

    assertThat(store.size()).isEqualTo(3);
    assertThat(store.keySet().sorted().toList())
        .containsExactly("blog/web", "shop/api", "shop/web");
    List<String> versions =
        store.values().map(o -> o.getMetadata().getResourceVersion()).sorted().toList();
    assertThat(versions).containsExactly("1", "2", "3");
  }

  @Test
  void textThatJsonEscapesComesBackUnchanged() {
    GenericKubernetesResource config = deployment("odd", "shop", "7");
    String text =
        "quote \" backslash \\ newline \n tab \t nul \u0000 snowman \u2603 emoji \uD83D\uDE80";
    config.getAdditionalProperties().put("data", Map.of("value", text));
    store.put("shop/odd", config);

    assertThat(store.get("shop/odd").getAdditionalProperties().get("data"))
        .isEqualTo(Map.of("value", text));
  }

  private static GenericKubernetesResource deployment(
      String name, String namespace, String version) {
    GenericKubernetesResource object =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withResourceVersion(version)
            .endMetadata()
            .build();
    object
        .getAdditionalProperties()
        .put(
            "spec",
            new LinkedHashMap<>(
                Map.of(
                    "replicas",
                    2,
                    "template",
                    Map.of("metadata", Map.of("labels", Map.of("app", "web"))))));
    return object;
  }
}
