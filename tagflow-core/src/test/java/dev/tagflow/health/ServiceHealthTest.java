package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyOnceAClusterIpServiceExists() {
    assertThat(fixtures.assess("service/cluster-ip.yaml"))
        .isEqualTo(HealthStatus.healthy("Service shop/web"));
  }

  @Test
  void isProgressingWhileALoadBalancerHasNoAddress() {
    assertThat(fixtures.assess("service/load-balancer-without-ingress.yaml"))
        .isEqualTo(
            HealthStatus.progressing("Service shop/web: waiting for a load balancer address"));
  }

  @Test
  void isHealthyOnceALoadBalancerHasAnAddress() {
    assertThat(fixtures.assess("service/load-balancer-with-ingress.yaml").health())
        .isEqualTo(Health.HEALTHY);
  }
}
