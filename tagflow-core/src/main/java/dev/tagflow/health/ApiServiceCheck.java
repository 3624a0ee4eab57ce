package dev.tagflow.health;

/** An APIService is healthy when the aggregator reports it Available. */
final class ApiServiceCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject api) {
    var available = api.condition("Available");
    if (available.isEmpty()) {
      return HealthStatus.progressing("waiting for the Available condition");
    }
    if (available.get().isTrue()) {
      return HealthStatus.healthy("available");
    }
    // A new APIService is unavailable until its backing service answers: progressing, not
    // degraded; a sync's health timeout is what turns "never" into a failure.
    return HealthStatus.progressing("not available: " + available.get().explanation());
  }
}
