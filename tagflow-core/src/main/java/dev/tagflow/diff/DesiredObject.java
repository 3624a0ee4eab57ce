package dev.tagflow.diff;

import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ObjectJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An object from Git as Tagflow sends it: a copy with its namespace filled in (when the kind is
 * namespaced and the object names none) or removed (when cluster-scoped), the fields the server
 * sets dropped ({@link ServerFields}), and the {@link Tracking} marks added. The diff and the apply
 * both start from it, so what is compared is exactly what is applied.
 */
public final class DesiredObject {

  private final ObjectJson json;

  public DesiredObject(ObjectJson json) {
    this.json = json;
  }

  /** The prepared copy; the original is not changed. */
  public GenericKubernetesResource prepare(
      GenericKubernetesResource object,
      ApiResource type,
      String application,
      String destinationNamespace) {
    GenericKubernetesResource copy = json.copy(object);
    if (type.namespaced()) {
      String namespace = copy.getMetadata().getNamespace();
      if (namespace == null || namespace.isEmpty()) {
        copy.getMetadata().setNamespace(destinationNamespace);
      }
    } else {
      copy.getMetadata().setNamespace(null);
    }
    ServerFields.stripFrom(copy);
    if ("Secret".equals(copy.getKind()) && "v1".equals(copy.getApiVersion())) {
      foldStringData(copy);
    }
    return Tracking.stamp(copy, application);
  }

  /**
   * Moves a Secret's {@code stringData} into {@code data} (base64), as the API server does on
   * write: the server never stores {@code stringData}, so fields applied through it would be owned
   * but never seen, and a changed value would go unnoticed by the comparison.
   */
  @SuppressWarnings("unchecked")
  private static void foldStringData(GenericKubernetesResource secret) {
    Object stringData = secret.getAdditionalProperties().remove("stringData");
    if (!(stringData instanceof Map<?, ?> values) || values.isEmpty()) {
      return;
    }
    Map<String, Object> data =
        secret.getAdditionalProperties().get("data") instanceof Map<?, ?> existing
            ? new LinkedHashMap<>((Map<String, Object>) existing)
            : new LinkedHashMap<>();
    values.forEach(
        (key, value) ->
            data.put(
                String.valueOf(key),
                Base64.getEncoder()
                    .encodeToString(String.valueOf(value).getBytes(StandardCharsets.UTF_8))));
    secret.getAdditionalProperties().put("data", data);
  }
}
