package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The store behind each watch of {@link LiveStateCache}: every object kept as its JSON bytes and
 * parsed again when read, because an object held as nested maps takes about five times the heap of
 * its JSON (5.2 for a Deployment), and a controller holds every object of every application
 * (BENCHMARKS.md, "1,000 applications side by side, and memory at rest").
 *
 * <p>A read returns a new copy each time, so a caller that changes what it read cannot change the
 * cache. The informer calls {@link #put} and {@link #remove} under its own lock; reads run
 * concurrently with them.
 */
final class JsonObjectStore implements ItemStore<GenericKubernetesResource> {

  private final KubernetesSerialization serialization;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

  JsonObjectStore(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public String getKey(GenericKubernetesResource object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
    byte[] json = serialization.asJson(object).getBytes(StandardCharsets.UTF_8);
    return parsed(objects.put(key, json));
  }

  @Override
  public GenericKubernetesResource remove(String key) {
    return parsed(objects.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return objects.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return objects.values().stream().map(this::parsed);
  }

  @Override
  public int size() {
    return objects.size();
  }

  @Override
  public GenericKubernetesResource get(String key) {
    return parsed(objects.get(key));
  }

  private GenericKubernetesResource parsed(byte[] json) {
    return json == null
        ? null
        : serialization.unmarshal(new ByteArrayInputStream(json), GenericKubernetesResource.class);
  }
}
