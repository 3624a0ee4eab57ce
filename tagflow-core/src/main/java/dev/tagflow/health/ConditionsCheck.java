package dev.tagflow.health;

import java.util.Optional;

/**
 * The check for kinds without one of their own, such as custom resources: the conventions most
 * controllers follow ({@code observedGeneration}, {@code Ready}, {@code Available}, and kstatus'
 * {@code Stalled}/{@code Reconciling}). An object with none of them is healthy once it exists, as a
 * ConfigMap is.
 */
final class ConditionsCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject o) {
    if (!o.specObserved()) {
      return Rollouts.awaitingObservation(o);
    }
    Optional<Condition> stalled = o.condition("Stalled").filter(Condition::isTrue);
    if (stalled.isPresent()) {
      return HealthStatus.degraded("stalled: " + stalled.get().explanation());
    }
    Optional<Condition> verdict = o.condition("Ready").or(() -> o.condition("Available"));
    if (verdict.isPresent()) {
      Condition c = verdict.get();
      if (c.isTrue()) {
        return HealthStatus.healthy(c.message());
      }
      // False while the controller still works on it (kstatus' Reconciling) is a step on the way;
      // False with nothing in progress is a failure the controller has given up on.
      if (c.isFalse() && o.condition("Reconciling").filter(Condition::isTrue).isEmpty()) {
        return HealthStatus.degraded(c.type() + ": " + c.explanation());
      }
      return HealthStatus.progressing(c.type() + ": " + c.explanation());
    }
    Optional<Condition> reconciling = o.condition("Reconciling").filter(Condition::isTrue);
    if (reconciling.isPresent()) {
      return HealthStatus.progressing("reconciling: " + reconciling.get().explanation());
    }
    return HealthStatus.healthy("");
  }
}
