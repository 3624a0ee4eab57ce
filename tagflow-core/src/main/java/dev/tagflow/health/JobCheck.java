package dev.tagflow.health;

/** A Job is healthy once complete, degraded once failed, suspended when suspended. */
final class JobCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject job) {
    var failed = job.condition("Failed");
    if (failed.isPresent() && failed.get().isTrue()) {
      return HealthStatus.degraded("failed: " + failed.get().explanation());
    }
    var complete = job.condition("Complete");
    if (complete.isPresent() && complete.get().isTrue()) {
      return HealthStatus.healthy("complete: " + job.number("status", "succeeded") + " succeeded");
    }
    if (job.flag("spec", "suspend")) {
      return HealthStatus.suspended("suspended");
    }
    return HealthStatus.progressing(
        job.number("status", "active")
            + " active, "
            + job.number("status", "succeeded")
            + " succeeded, "
            + job.number("status", "failed")
            + " failed");
  }
}
