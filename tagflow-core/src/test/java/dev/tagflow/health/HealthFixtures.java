package dev.tagflow.health;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the YAML fixtures under {@code health/<kind>/} as the live objects a client returns. */
final class HealthFixtures {

  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final HealthRegistry registry;

  HealthFixtures(HealthRegistry registry) {
    this.registry = registry;
  }

  HealthFixtures() {
    this(HealthRegistry.builtIn());
  }

  GenericKubernetesResource load(String path) {
    try (InputStream in = HealthFixtures.class.getResourceAsStream("/health/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture health/" + path);
      }
      return serialization.unmarshal(in, GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HealthStatus assess(String path) {
    return registry.assess(load(path));
  }
}
