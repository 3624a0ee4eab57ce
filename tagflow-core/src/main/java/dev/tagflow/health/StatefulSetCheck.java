package dev.tagflow.health;

/** A StatefulSet is healthy when every replica is ready at the update revision. */
final class StatefulSetCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject s) {
    if (!s.has("status", "observedGeneration") || !s.specObserved()) {
      return Rollouts.awaitingObservation(s);
    }
    long wanted = s.optionalNumber("spec", "replicas").orElse(1L);
    long ready = s.number("status", "readyReplicas");
    long updated = s.number("status", "updatedReplicas");
    if (ready < wanted) {
      return HealthStatus.progressing(ready + "/" + wanted + " replicas ready");
    }
    String strategy = s.text("spec", "updateStrategy", "type");
    if ("OnDelete".equals(strategy)) {
      // Pods are replaced only when someone deletes them: there is no rollout to wait for.
      return HealthStatus.healthy(ready + "/" + wanted + " replicas ready (OnDelete)");
    }
    long partition = s.number("spec", "updateStrategy", "rollingUpdate", "partition");
    if (partition > 0) {
      // Only ordinals at or above the partition are updated; the rest stay on purpose.
      long expected = Math.max(0, wanted - partition);
      if (updated < expected) {
        return HealthStatus.progressing(
            updated + "/" + expected + " replicas updated above partition " + partition);
      }
      return HealthStatus.healthy(updated + " replicas updated above partition " + partition);
    }
    String current = s.text("status", "currentRevision");
    String update = s.text("status", "updateRevision");
    if (!update.isEmpty() && !update.equals(current)) {
      return HealthStatus.progressing(
          updated + "/" + wanted + " replicas updated to revision " + update);
    }
    return HealthStatus.healthy(ready + "/" + wanted + " replicas ready");
  }
}
