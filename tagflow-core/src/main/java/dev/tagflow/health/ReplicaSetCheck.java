package dev.tagflow.health;

/** A ReplicaSet is healthy when all its replicas are available. */
final class ReplicaSetCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject r) {
    if (!r.specObserved()) {
      return Rollouts.awaitingObservation(r);
    }
    // ReplicaFailure: pods could not be created at all (quota, admission), waiting will not help.
    var failure = r.condition("ReplicaFailure");
    if (failure.isPresent() && failure.get().isTrue()) {
      return HealthStatus.degraded(failure.get().explanation());
    }
    long wanted = r.optionalNumber("spec", "replicas").orElse(1L);
    long available = r.number("status", "availableReplicas");
    if (available < wanted) {
      return HealthStatus.progressing(available + "/" + wanted + " replicas available");
    }
    return HealthStatus.healthy(available + "/" + wanted + " replicas available");
  }
}
