package dev.tagflow.health;

import dev.tagflow.GroupKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of a live object as nested maps, so checks read any API version and any custom
 * resource without a typed model; absent fields read as empty, zero or false.
 */
public final class KubeObject {

  private final Map<String, Object> content;

  private KubeObject(Map<String, Object> content) {
    this.content = content;
  }

  /** A view of an object as nested maps and lists, as JSON or YAML decode it. */
  public static KubeObject of(Map<String, Object> content) {
    // Not Map.copyOf: decoded YAML and JSON may hold null values.
    return new KubeObject(Collections.unmodifiableMap(new LinkedHashMap<>(content)));
  }

  /**
   * A view of a fabric8 generic resource (what a dynamic client or an informer returns). Of the
   * metadata, only what health reads is copied (name, namespace, generation, labels, annotations,
   * deletionTimestamp): copying is per object and per verdict, so it stays cheap.
   */
  public static KubeObject of(GenericKubernetesResource resource) {
    Map<String, Object> content = new LinkedHashMap<>(resource.getAdditionalProperties());
    content.put("apiVersion", resource.getApiVersion());
    content.put("kind", resource.getKind());
    ObjectMeta meta = resource.getMetadata();
    if (meta != null) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      putIfPresent(metadata, "name", meta.getName());
      putIfPresent(metadata, "namespace", meta.getNamespace());
      putIfPresent(metadata, "generation", meta.getGeneration());
      putIfPresent(metadata, "labels", meta.getLabels());
      putIfPresent(metadata, "annotations", meta.getAnnotations());
      putIfPresent(metadata, "deletionTimestamp", meta.getDeletionTimestamp());
      content.put("metadata", metadata);
    }
    return new KubeObject(content);
  }

  public String apiVersion() {
    return text("apiVersion");
  }

  public String kind() {
    return text("kind");
  }

  public GroupKind groupKind() {
    return GroupKind.fromApiVersion(apiVersion(), kind());
  }

  public String name() {
    return text("metadata", "name");
  }

  public String namespace() {
    return text("metadata", "namespace");
  }

  /** How messages name the object: {@code Deployment shop/web}, or {@code Namespace shop}. */
  public String subject() {
    return kind() + " " + (namespace().isEmpty() ? name() : namespace() + "/" + name());
  }

  /** {@code metadata.generation}, 0 when absent. */
  public long generation() {
    return number("metadata", "generation");
  }

  /** Whether the controller has seen the latest spec ({@code status.observedGeneration}). */
  public boolean specObserved() {
    Optional<Object> observed = at("status", "observedGeneration");
    return observed.isEmpty() || number("status", "observedGeneration") >= generation();
  }

  /** The value at a path of map keys. */
  public Optional<Object> at(String... path) {
    Object current = content;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return Optional.empty();
      }
      current = map.get(key);
    }
    return Optional.ofNullable(current);
  }

  public boolean has(String... path) {
    return at(path).isPresent();
  }

  /** The text at a path, {@code ""} when absent. */
  public String text(String... path) {
    return at(path).map(Object::toString).orElse("");
  }

  /** The whole number at a path, 0 when absent or not a number. */
  public long number(String... path) {
    return optionalNumber(path).orElse(0L);
  }

  /** The whole number at a path, when there is one. */
  public Optional<Long> optionalNumber(String... path) {
    return at(path)
        .flatMap(
            v ->
                switch (v) {
                  case Number n -> Optional.of(n.longValue());
                  case String s when s.matches("-?\\d+") -> Optional.of(Long.parseLong(s));
                  default -> Optional.empty();
                });
  }

  /** Whether the value at a path is {@code true}. */
  public boolean flag(String... path) {
    return at(path).map(v -> Boolean.TRUE.equals(v) || "true".equals(v)).orElse(false);
  }

  /** The maps of the list at a path; entries that are not maps are skipped. */
  public List<Map<?, ?>> list(String... path) {
    List<Map<?, ?>> maps = new ArrayList<>();
    if (at(path).orElse(null) instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map) {
          maps.add(map);
        }
      }
    }
    return List.copyOf(maps);
  }

  /** {@code status.conditions}, in the order the object lists them. */
  public List<Condition> conditions() {
    return list("status", "conditions").stream().map(Condition::from).toList();
  }

  /** The condition of a type, when the object has it. */
  public Optional<Condition> condition(String type) {
    return conditions().stream().filter(c -> c.type().equals(type)).findFirst();
  }

  @Override
  public String toString() {
    return subject();
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
