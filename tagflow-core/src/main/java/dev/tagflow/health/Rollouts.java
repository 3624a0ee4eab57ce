package dev.tagflow.health;

/** Verdicts shared by the checks of workloads that roll out through a controller. */
final class Rollouts {

  private Rollouts() {}

  /**
   * Until the controller has seen the latest spec, its status describes an older one and says
   * nothing about this rollout.
   */
  static HealthStatus awaitingObservation(KubeObject o) {
    return HealthStatus.progressing(
        "waiting for the controller to observe generation "
            + o.generation()
            + " (observed "
            + o.number("status", "observedGeneration")
            + ")");
  }
}
