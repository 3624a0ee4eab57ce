package dev.tagflow.health;

/** A Deployment is healthy when its latest spec is rolled out and every replica is available. */
final class DeploymentCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject d) {
    if (d.flag("spec", "paused")) {
      return HealthStatus.suspended("rollout paused");
    }
    if (!d.specObserved()) {
      return Rollouts.awaitingObservation(d);
    }
    // The controller gives up after progressDeadlineSeconds and says so in this condition; its
    // message names the ReplicaSet that timed out, which is what a person needs to look at.
    var progressing = d.condition("Progressing");
    if (progressing.isPresent() && "ProgressDeadlineExceeded".equals(progressing.get().reason())) {
      return HealthStatus.degraded(
          "progress deadline exceeded: " + progressing.get().explanation());
    }
    long wanted = d.optionalNumber("spec", "replicas").orElse(1L);
    long total = d.number("status", "replicas");
    long updated = d.number("status", "updatedReplicas");
    long available = d.number("status", "availableReplicas");
    if (updated < wanted) {
      return HealthStatus.progressing(updated + "/" + wanted + " replicas updated");
    }
    if (total > updated) {
      return HealthStatus.progressing((total - updated) + " old replicas pending termination");
    }
    if (available < updated) {
      return HealthStatus.progressing(available + "/" + wanted + " replicas available");
    }
    return HealthStatus.healthy(available + "/" + wanted + " replicas available");
  }
}
