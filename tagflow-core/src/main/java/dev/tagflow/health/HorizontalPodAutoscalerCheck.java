package dev.tagflow.health;

import dev.tagflow.PlainJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * A HorizontalPodAutoscaler is healthy when it can read its metrics and scale its target; one that
 * cannot would silently stop scaling, so it is degraded — except while the metrics of its Pods are
 * not there yet, which is Progressing.
 *
 * <p>New Pods have no metrics until the metrics pipeline has scraped them (metrics-server needs two
 * samples, then the autoscaler's next sync): meanwhile the autoscaler reports {@code ScalingActive}
 * False, {@code FailedGetResourceMetric}, with "no metrics returned from resource metrics API" or
 * "did not receive metrics for targeted pods". That is every new autoscaler's first half minute or
 * so, and every rollout of its target's, and heals by itself; calling it Degraded made a healthy
 * rollout look failed (and a health gate roll it back). It is judged by what the autoscaler says,
 * not by how long it has said it: a metric that cannot be computed at all ({@code missing request
 * for cpu}: a container without a request), a metrics API that does not answer, an invalid selector
 * or a target it cannot scale stay Degraded. Argo CD's built-in check calls every {@code
 * FailedGetResourceMetric} Degraded (argo-cd#6287, #28522 for KEDA's same transient state); the
 * health check its users share in argo-cd#6287 makes the same distinction as this one. Metrics that
 * never come leave it Progressing, which the rollback policy's {@code healthTimeout} still fails.
 */
final class HorizontalPodAutoscalerCheck implements HealthCheck {

  /** Where autoscaling/v1, which has no status.conditions, keeps the same conditions as JSON. */
  static final String V1_CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";

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
      if (awaitsPodMetrics(active.get())) {
        return HealthStatus.progressing(
            "waiting for its Pods' first metrics: " + active.get().explanation());
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

  /** The reasons of a metric the autoscaler could not read from the metrics API. */
  private static final List<String> METRIC_READ_FAILURES =
      List.of("FailedGetResourceMetric", "FailedGetContainerResourceMetric");

  /**
   * What the autoscaler says when the metrics API answered but has no sample for the target's Pods
   * yet (Kubernetes' replica calculator and metrics client word them so).
   */
  private static final List<String> NO_SAMPLE_YET =
      List.of(
          "no metrics returned from resource metrics API",
          "did not receive metrics for targeted pods",
          "did not receive metrics for any ready pods");

  /** Whether ScalingActive is False only because the Pods' first metrics are not there yet. */
  private static boolean awaitsPodMetrics(Condition active) {
    return METRIC_READ_FAILURES.contains(active.reason())
        && NO_SAMPLE_YET.stream().anyMatch(active.message()::contains)
        && !active.message().contains("missing request for");
  }

  private List<Condition> conditions(KubeObject hpa) {
    List<Condition> conditions = hpa.conditions();
    String v1 = hpa.text("metadata", "annotations", V1_CONDITIONS);
    if (!conditions.isEmpty() || v1.isEmpty()) {
      return conditions;
    }
    try {
      List<Map<String, Object>> entries = PlainJson.MAPPER.readValue(v1, new TypeReference<>() {});
      return entries.stream().map(Condition::from).toList();
    } catch (JacksonException e) {
      throw new IllegalStateException(V1_CONDITIONS + " is not a JSON list of conditions", e);
    }
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }
}
