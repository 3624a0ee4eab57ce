package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HorizontalPodAutoscalerHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenAbleToScaleAndScalingIsActive() {
    assertThat(fixtures.assess("horizontalpodautoscaler/scaling.yaml"))
        .isEqualTo(
            HealthStatus.healthy("HorizontalPodAutoscaler shop/web: 3 replicas (desired 3)"));
  }

  @Test
  void isDegradedWhenItCannotReadItsMetrics() {
    assertThat(fixtures.assess("horizontalpodautoscaler/metrics-unavailable.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "HorizontalPodAutoscaler shop/web: not scaling: the HPA was unable to compute"
                    + " the replica count: failed to get cpu utilization"));
  }

  @Test
  void isProgressingWhileTheMetricsOfItsNewPodsAreNotThereYet() {
    assertThat(fixtures.assess("horizontalpodautoscaler/new-pods-no-metrics.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "HorizontalPodAutoscaler shop/web: waiting for its Pods' first metrics: the HPA was"
                    + " unable to compute the replica count: failed to get cpu utilization: unable"
                    + " to get metrics for resource cpu: no metrics returned from resource metrics"
                    + " API"));
    assertThat(fixtures.assess("horizontalpodautoscaler/rollout-pods-unready.yaml").health())
        .isEqualTo(Health.PROGRESSING);
  }

  @Test
  void isDegradedWhenTheMetricsApiDoesNotAnswer() {
    assertThat(fixtures.assess("horizontalpodautoscaler/metrics-api-down.yaml").health())
        .isEqualTo(Health.DEGRADED);
  }

  @Test
  void isDegradedWhenItCannotScaleItsTarget() {
    assertThat(fixtures.assess("horizontalpodautoscaler/unable-to-scale.yaml").health())
        .isEqualTo(Health.DEGRADED);
  }

  @Test
  void isProgressingUntilItsFirstReport() {
    assertThat(fixtures.assess("horizontalpodautoscaler/no-report-yet.yaml").health())
        .isEqualTo(Health.PROGRESSING);
  }

  @Test
  void readsTheConditionsAutoscalingV1KeepsInAnAnnotation() {
    assertThat(fixtures.assess("horizontalpodautoscaler/v1-metrics-unavailable.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "HorizontalPodAutoscaler shop/web: not scaling: the HPA was unable to compute the"
                    + " replica count: missing request for cpu"));
  }
}
