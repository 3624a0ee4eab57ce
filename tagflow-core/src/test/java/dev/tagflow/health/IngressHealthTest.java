package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngressHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyOnceTheControllerPublishedAnAddress() {
    assertThat(fixtures.assess("ingress/with-address.yaml"))
        .isEqualTo(HealthStatus.healthy("Ingress shop/web: address web.example.com"));
  }

  @Test
  void isProgressingWithoutAnAddress() {
    assertThat(fixtures.assess("ingress/without-address.yaml").health())
        .isEqualTo(Health.PROGRESSING);
  }
}
