package dev.tagflow.diff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces a Secret's values by masks before a diff is built, so that no value can leave the
 * engine, while a person still sees which keys changed: an unchanged value is {@code ++++++++} on
 * both sides, a changed one {@code +++++++++} (live) against {@code ++++++++++} (desired).
 */
public final class SecretMask {

  /** The mask of a value that is the same on both sides (or present on one side only). */
  public static final String SAME = "++++++++";

  /** The mask of a changed value on the live side. */
  public static final String CHANGED_LIVE = "+++++++++";

  /** The mask of a changed value on the desired side. */
  public static final String CHANGED_DESIRED = "++++++++++";

  private static final List<String> VALUE_FIELDS = List.of("data", "stringData");
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** Masks both trees (changed in place) if they are Secrets; {@code live} may be null. */
  public void mask(Map<String, Object> live, Map<String, Object> desired) {
    for (String field : VALUE_FIELDS) {
      Map<String, Object> liveValues = values(live, field);
      Map<String, Object> desiredValues = values(desired, field);
      // Both masks are chosen before either side is overwritten: the choice compares values.
      Map<String, Object> liveMasks = masks(liveValues, desiredValues, CHANGED_LIVE);
      Map<String, Object> desiredMasks = masks(desiredValues, liveValues, CHANGED_DESIRED);
      if (liveValues != null) {
        liveValues.replaceAll((key, value) -> liveMasks.get(key));
      }
      if (desiredValues != null) {
        desiredValues.replaceAll((key, value) -> desiredMasks.get(key));
      }
    }
    dropLastApplied(live);
    dropLastApplied(desired);
  }

  /** Whether the tree is a core Secret. */
  public static boolean isSecret(Map<String, Object> tree) {
    return tree != null && "Secret".equals(tree.get("kind")) && "v1".equals(tree.get("apiVersion"));
  }

  private static Map<String, Object> masks(
      Map<String, Object> side, Map<String, Object> other, String changedMask) {
    Map<String, Object> masked = new LinkedHashMap<>();
    if (side == null) {
      return masked;
    }
    for (Map.Entry<String, Object> entry : side.entrySet()) {
      Object counterpart = other == null ? null : other.get(entry.getKey());
      boolean changed = counterpart != null && !Objects.equals(counterpart, entry.getValue());
      masked.put(entry.getKey(), changed ? changedMask : SAME);
    }
    return masked;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values(Map<String, Object> tree, String field) {
    return tree != null && tree.get(field) instanceof Map<?, ?> map
        ? (Map<String, Object>) map
        : null;
  }

  @SuppressWarnings("unchecked")
  private static void dropLastApplied(Map<String, Object> tree) {
    if (tree != null
        && tree.get("metadata") instanceof Map<?, ?> metadata
        && metadata.get("annotations") instanceof Map<?, ?> annotations) {
      ((Map<String, Object>) annotations).computeIfPresent(LAST_APPLIED, (k, v) -> SAME);
    }
  }
}
