package dev.tagflow.health;

/** A PersistentVolumeClaim is healthy when bound, degraded when its volume is lost. */
final class PersistentVolumeClaimCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject claim) {
    String phase = claim.text("status", "phase");
    return switch (phase) {
      case "Bound" -> HealthStatus.healthy("bound to " + claim.text("spec", "volumeName"));
      case "Pending" -> HealthStatus.progressing("waiting for a volume");
      case "Lost" -> HealthStatus.degraded("its volume is lost");
      default -> HealthStatus.unknown(phase.isEmpty() ? "no status yet" : "phase " + phase);
    };
  }
}
