package dev.tagflow.sync;

import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/**
 * One thing a sync does to one object: apply it, run it as a hook, or prune it.
 *
 * @param object the object (its namespace filled in)
 * @param desired the object from Git; empty for a prune
 * @param phase when it runs
 * @param wave its wave inside the phase
 * @param hook set when the object is a hook
 */
public record SyncTask(
    ObjectRef object,
    Optional<GenericKubernetesResource> desired,
    Phase phase,
    int wave,
    Optional<Hook> hook) {

  /** Whether the task deletes a stale object. */
  public boolean isPrune() {
    return desired.isEmpty();
  }

  /** Whether the task runs a hook. */
  public boolean isHook() {
    return hook.isPresent();
  }

  /** Whether the task runs a hook with generateName, which gets a new name each run. */
  public boolean generatesName() {
    return isHook() && desired.map(HookNames::generatesName).orElse(false);
  }

  SyncTask inStep(Phase newPhase, int newWave) {
    return new SyncTask(object, desired, newPhase, newWave, hook);
  }
}
