package dev.tagflow.diff;

import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The marks that say an object belongs to a Tagflow application: the label {@code
 * app.kubernetes.io/managed-by: tagflow} (so watches and people can select them) and the annotation
 * {@code tagflow.dev/tracking-id: <app>:<group>/<kind>:<namespace>/<name>} (which application, and
 * which object it was applied as, so a copied object is not mistaken for ours).
 */
public final class Tracking {

  /** The label every object Tagflow applies carries. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY_LABEL}. */
  public static final String MANAGED_BY = "tagflow";

  /** The annotation naming the owning application and the object's identity. */
  public static final String TRACKING_ID = "tagflow.dev/tracking-id";

  private Tracking() {}

  /**
   * {@code <app>:<group>/<kind>:<namespace>/<name>}; the namespace is empty when cluster-scoped.
   */
  public static String trackingId(String application, ObjectRef ref) {
    return application
        + ":"
        + ref.group()
        + "/"
        + ref.kind()
        + ":"
        + ref.namespace()
        + "/"
        + ref.name();
  }

  /** The application whose tracking id the object carries, if any. */
  public static Optional<String> trackedBy(HasMetadata live) {
    Map<String, String> annotations = live.getMetadata().getAnnotations();
    String id = annotations == null ? null : annotations.get(TRACKING_ID);
    if (id == null || id.indexOf(':') <= 0) {
      return Optional.empty();
    }
    return Optional.of(id.substring(0, id.indexOf(':')));
  }

  /** Whether the live object carries exactly the tracking id this application would give it. */
  public static boolean isTrackedAs(HasMetadata live, String application, ObjectRef ref) {
    Map<String, String> annotations = live.getMetadata().getAnnotations();
    return annotations != null && trackingId(application, ref).equals(annotations.get(TRACKING_ID));
  }

  /** Adds the label and the annotation to the object (which the caller owns). */
  public static GenericKubernetesResource stamp(
      GenericKubernetesResource object, String application) {
    Map<String, String> labels =
        new HashMap<>(
            object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    object.getMetadata().setLabels(labels);
    Map<String, String> annotations =
        new HashMap<>(
            object.getMetadata().getAnnotations() == null
                ? Map.of()
                : object.getMetadata().getAnnotations());
    annotations.put(TRACKING_ID, trackingId(application, ObjectRef.of(object)));
    object.getMetadata().setAnnotations(annotations);
    return object;
  }
}
