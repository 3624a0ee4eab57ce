package dev.tagflow.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Objects;

/**
 * One object Tagflow would apply, and where it came from.
 *
 * <p>The object is a fabric8 {@link GenericKubernetesResource}: it keeps every field of any kind
 * (unknown ones in its additional properties), gives typed access to metadata, and is what the
 * client's server-side apply takes as it is. Every call of the renderer returns fresh objects, so a
 * caller may change them (add labels, annotations) without touching the cache.
 *
 * @param object the object
 * @param file the file it came from, relative to its repository's root (for Helm: the chart's
 *     template; for a packaged dependency {@code charts/x-1.0.0.tgz}, the template's path as if
 *     unpacked into {@code charts/x/})
 * @param document the index of the YAML document in that file (0 for the first)
 * @param line the line of the file where the object's document starts (1-based; for Helm, in the
 *     rendered output of the template)
 * @param hook whether it is a hook (one of {@link HookAnnotations}): the sync engine runs it at its
 *     phase instead of applying it with the rest
 */
public record Manifest(
    GenericKubernetesResource object, String file, int document, int line, boolean hook) {

  public Manifest {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(file, "file");
  }

  /** {@code file#document} (and the line), for messages. */
  public String location() {
    return file + " (document " + (document + 1) + ", line " + line + ")";
  }

  /** {@code Kind/namespace/name} (or {@code Kind/name}), for messages and logs. */
  public String subject() {
    String namespace = object.getMetadata().getNamespace();
    return object.getKind()
        + "/"
        + (namespace == null || namespace.isEmpty() ? "" : namespace + "/")
        + (object.getMetadata().getName() != null
            ? object.getMetadata().getName()
            : object.getMetadata().getGenerateName());
  }

  static boolean isHook(GenericKubernetesResource object) {
    Map<String, String> annotations =
        object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
    return HookAnnotations.isHook(annotations);
  }
}
