package dev.tagflow.reconcile;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Objects;

/**
 * The objects an application rendered to, under the render key they came from (the tree ids of its
 * path, chart and values, and the target): a later run with the same key uses them again instead of
 * rendering. The objects are only read, never changed (the diff and the apply work on copies).
 *
 * @param key the renderer's content key
 * @param commit the commit they were rendered at (a later commit may give the same key)
 * @param desired the rendered objects to apply, hooks included
 * @param children the Applications among the rendered manifests: child applications, registered
 *     instead of applied ({@link ChildApplications})
 */
public record Rendered(
    String key,
    String commit,
    List<GenericKubernetesResource> desired,
    ChildApplications.Found children) {
  public Rendered {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(commit, "commit");
    desired = List.copyOf(desired);
    Objects.requireNonNull(children, "children");
  }

  /** Objects without child applications. */
  public Rendered(String key, String commit, List<GenericKubernetesResource> desired) {
    this(key, commit, desired, ChildApplications.Found.NONE);
  }
}
