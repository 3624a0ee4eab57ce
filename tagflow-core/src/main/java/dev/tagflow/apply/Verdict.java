package dev.tagflow.apply;

import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * What validating a wave decided for one of its objects, before anything of the wave is sent. Only
 * a wave without {@link Refused} objects changes anything.
 */
sealed interface Verdict {

  /** The object (its namespace resolved). */
  ObjectRef object();

  /** It already is as Git has it: nothing is sent, and its resourceVersion stays. */
  record Unchanged(ObjectRef object) implements Verdict {}

  /**
   * The server accepted its dry-run and it differs (or does not exist yet): it is applied.
   *
   * @param action {@link Action#CREATED} or {@link Action#CONFIGURED}
   */
  record Send(ObjectRef object, GenericKubernetesResource desired, Action action)
      implements Verdict {}

  /**
   * An immutable field changed and Replace is on: it is deleted, awaited until gone, and applied
   * again.
   */
  record Replace(ObjectRef object, GenericKubernetesResource desired, String why)
      implements Verdict {}

  /**
   * Its namespace or its kind does not exist yet and the wave's first stage creates it, so the
   * server cannot check it yet: it is dry-run once that stage is applied and ready.
   *
   * @param original the object as Git has it, to compare again
   * @param dryRun what a dry-run sync reports for it
   */
  record Deferred(ObjectRef object, GenericKubernetesResource original, ChangeSetEntry dryRun)
      implements Verdict {}

  /**
   * It cannot be applied as it is: the server refused its dry-run (invalid, forbidden, an immutable
   * field without Replace), it could not be checked, or another application owns it.
   */
  record Refused(ChangeSetEntry entry) implements Verdict {
    @Override
    public ObjectRef object() {
      return entry.object();
    }
  }
}
