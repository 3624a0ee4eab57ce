package dev.tagflow.reconcile;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.cluster.ObjectVersion;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.health.KubeObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The versions the API server returned for the objects an application's syncs wrote: the floor
 * under which a live object describes the cluster before the write, so that its health says nothing
 * about what was applied.
 *
 * <p>A controller judges health from a watch-fed cache, and a sync ends the moment its last wave is
 * applied: the reconcile right after may still read the Deployment from before the apply, whose
 * {@code observedGeneration} matches its (old) generation and whose replicas are all available —
 * Healthy, and the health gate would pass a revision whose Pods never start. An object older than
 * what the sync wrote is therefore Progressing ("the live view has not caught up"), never judged by
 * its status, as Flux's kstatus calls an object whose {@code observedGeneration} lags its
 * generation in progress; the watch event with the new version reconciles again. Argo CD avoids the
 * same race by writing the apply's result into its cache; Tagflow compares instead, so that a watch
 * event from before the apply that arrives late cannot make the view go back.
 *
 * <p>Kept in memory only: after a restart the cache is listed anew, newer than any earlier write.
 */
record AppliedVersions(Map<ObjectRef, ObjectVersion> objects) {

  static final AppliedVersions NONE = new AppliedVersions(Map.of());

  AppliedVersions {
    objects = Map.copyOf(objects);
  }

  /** These versions, updated with what a sync's change set wrote and deleted. */
  AppliedVersions after(ChangeSet changes) {
    Map<ObjectRef, ObjectVersion> next = new HashMap<>(objects);
    for (ChangeSetEntry entry : changes.entries()) {
      if (entry.action() == Action.DELETED) {
        next.remove(entry.object());
      } else {
        entry.written().ifPresent(version -> next.put(entry.object(), version));
      }
    }
    return new AppliedVersions(next);
  }

  /**
   * The health of a live object, or Progressing when it is older than what a sync wrote for it.
   *
   * @param ref the object as the application names it (its namespace resolved)
   */
  HealthStatus assess(ObjectRef ref, GenericKubernetesResource live, HealthRegistry health) {
    Optional<String> behind = behind(ref, live);
    if (behind.isPresent()) {
      return HealthStatus.progressing(
              "waiting for the live view to show what the sync wrote: " + behind.get())
          .about(KubeObject.of(live).subject());
    }
    return health.assess(live);
  }

  /** Why the live object is older than what a sync wrote for it; empty when it is not. */
  Optional<String> behind(ObjectRef ref, GenericKubernetesResource live) {
    ObjectVersion written = objects.get(ref);
    if (written == null) {
      return Optional.empty();
    }
    return ObjectVersion.of(live).flatMap(seen -> seen.olderThan(written));
  }
}
