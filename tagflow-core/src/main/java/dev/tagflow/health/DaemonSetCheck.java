package dev.tagflow.health;

/** A DaemonSet is healthy when every node that should run its pod runs the updated one. */
final class DaemonSetCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject d) {
    if (!d.specObserved()) {
      return Rollouts.awaitingObservation(d);
    }
    long desired = d.number("status", "desiredNumberScheduled");
    long updated = d.number("status", "updatedNumberScheduled");
    long available = d.number("status", "numberAvailable");
    if ("OnDelete".equals(d.text("spec", "updateStrategy", "type"))) {
      return HealthStatus.healthy(available + "/" + desired + " pods available (OnDelete)");
    }
    if (updated < desired) {
      return HealthStatus.progressing(updated + "/" + desired + " pods updated");
    }
    if (available < desired) {
      return HealthStatus.progressing(available + "/" + desired + " pods available");
    }
    return HealthStatus.healthy(available + "/" + desired + " pods available");
  }
}
