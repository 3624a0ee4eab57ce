package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderCacheTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void answersAKeyUntilTheLeastRecentlyUsedGoesPastTheCapacity() {
    RenderCache cache = new RenderCache(2, meters);
    cache.put("a", manifests("a"));
    cache.put("b", manifests("b"));
    assertThat(cache.get("a")).hasValueSatisfying(m -> assertThat(m).hasSize(1));

    cache.put("c", manifests("c")); // b is the least recently used now

    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("a")).isPresent();
    assertThat(cache.get("c")).isPresent();
    assertThat(cache.size()).isEqualTo(2);
    assertThat(meters.get("tagflow.render.cache").tag("result", "hit").counter().count())
        .isEqualTo(3);
    assertThat(meters.get("tagflow.render.cache").tag("result", "miss").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aClearedCacheMissesEveryKeyAndFillsAgain() {
    RenderCache cache = new RenderCache(10, meters);
    cache.put("web", manifests("web"));
    cache.put("api", manifests("api"));

    cache.clear();

    assertThat(cache.size()).isZero();
    assertThat(cache.get("web")).isEmpty();
    cache.put("web", manifests("web"));
    assertThat(cache.get("web")).isPresent();
  }

  private static List<Manifest> manifests(String name) {
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setApiVersion("v1");
    object.setKind("ConfigMap");
    object.setMetadata(new ObjectMetaBuilder().withName(name).build());
    return List.of(new Manifest(object, name + ".yaml", 1, 1, false));
  }
}
