package dev.tagflow.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A HorizontalPodAutoscaler is healthy when it can read its metrics and scale its target; one that
 * cannot would silently stop scaling, so it is degraded.
 */
final class HorizontalPodAutoscalerCheck implements HealthCheck {

  /** Where autoscaling/v1, which has no status.conditions, keeps the same conditions as JSON. */
  static final String V1_CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public HealthStatus check(KubeObject hpa) {
    List<Condition> conditions = conditions(hpa);
    Optional<Condition> able = find(conditions, "AbleToScale");
    if (able.isPresent() && able.get().isFalse()) {
      return HealthStatus.degraded("cannot scale: " + able.get().explanation());
    }
    Optional<Condition> active = find(conditions, "ScalingActive");
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

  private List<Condition> conditions(KubeObject hpa) {
    List<Condition> conditions = hpa.conditions();
    String v1 = hpa.text("metadata", "annotations", V1_CONDITIONS);
    if (!conditions.isEmpty() || v1.isEmpty()) {
      return conditions;
    }
    try {
      List<Map<String, Object>> entries = json.readValue(v1, new TypeReference<>() {});
      return entries.stream().map(Condition::from).toList();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(V1_CONDITIONS + " is not a JSON list of conditions", e);
    }
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }
}
