package dev.tagflow.apply;

import dev.tagflow.cluster.ObjectJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a server-side dry-run result differs from the live object, i.e. whether a real apply
 * would change anything. Fields that change without any apply (resourceVersion, status, the time in
 * managedFields) are left out, so an unchanged object is not sent again.
 */
final class Drift {

  private final ObjectJson json;

  Drift(ObjectJson json) {
    this.json = json;
  }

  boolean between(
      GenericKubernetesResource live, GenericKubernetesResource dryRun, String fieldManager) {
    return !Objects.equals(comparable(live, fieldManager), comparable(dryRun, fieldManager));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> comparable(GenericKubernetesResource object, String fieldManager) {
    Map<String, Object> tree = json.toMap(object);
    tree.remove("status");
    if (tree.get("metadata") instanceof Map<?, ?> metadata) {
      Map<String, Object> meta = (Map<String, Object>) metadata;
      meta.remove("resourceVersion");
      if (meta.get("managedFields") instanceof List<?> fields) {
        List<Object> ours = new ArrayList<>();
        for (Object entry : fields) {
          if (entry instanceof Map<?, ?> field && fieldManager.equals(field.get("manager"))) {
            ((Map<String, Object>) field).remove("time");
            ours.add(field);
          }
        }
        meta.put("managedFields", ours);
      }
    }
    return tree;
  }
}
