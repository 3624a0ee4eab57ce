package dev.tagflow.health;

/**
 * A HorizontalPodAutoscaler is healthy when it can read its metrics and scale its target; one that
 * cannot would silently stop scaling, so it is degraded.
 */
final class HorizontalPodAutoscalerCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject hpa) {
    var able = hpa.condition("AbleToScale");
    if (able.isPresent() && able.get().isFalse()) {
      return HealthStatus.degraded("cannot scale: " + able.get().explanation());
    }
    var active = hpa.condition("ScalingActive");
    if (active.isPresent() && active.get().isFalse()) {
      // The target scaled to zero on purpose: the autoscaler is off by design, not broken.
      if ("ScalingDisabled".equals(active.get().reason())) {
        return HealthStatus.suspended(active.get().explanation());
      }
      return HealthStatus.degraded("not scaling: " + active.get().explanation());
    }
    if (able.isEmpty() && active.isEmpty()) {
      return HealthStatus.progressing("waiting for the autoscaler's first report");
    }
    return HealthStatus.healthy(
        hpa.number("status", "currentReplicas")
            + " replicas (desired "
            + hpa.number("status", "desiredReplicas")
            + ")");
  }
}
