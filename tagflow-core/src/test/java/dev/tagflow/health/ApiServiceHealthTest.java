package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiServiceHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenAvailable() {
    assertThat(fixtures.assess("apiservice/available.yaml"))
        .isEqualTo(HealthStatus.healthy("APIService v1beta1.metrics.k8s.io: available"));
  }

  @Test
  void isProgressingWithTheAggregatorsReasonWhileUnavailable() {
    assertThat(fixtures.assess("apiservice/unavailable.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "APIService v1beta1.metrics.k8s.io: not available: endpoints for"
                    + " service/metrics-server in \"kube-system\" have no addresses"));
  }
}
