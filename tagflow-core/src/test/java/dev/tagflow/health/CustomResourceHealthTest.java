package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomResourceHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenReady() {
    assertThat(fixtures.assess("custom/ready.yaml"))
        .isEqualTo(
            HealthStatus.healthy(
                "Certificate shop/web-tls: Certificate is up to date and has not expired"));
  }

  @Test
  void isDegradedWhenNotReadyAndNothingIsInProgress() {
    assertThat(fixtures.assess("custom/not-ready.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "Certificate shop/web-tls: Ready: Issuer shop/letsencrypt not found"));
  }

  @Test
  void isProgressingWhenNotReadyWhileTheControllerIsReconciling() {
    assertThat(fixtures.assess("custom/not-ready-while-reconciling.yaml").health())
        .isEqualTo(Health.PROGRESSING);
  }

  @Test
  void isProgressingWhileReadyIsUnknown() {
    assertThat(fixtures.assess("custom/ready-unknown.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "Database shop/orders: Ready: Ready is Unknown (Provisioning)"));
  }

  @Test
  void usesAvailableWhenThereIsNoReadyCondition() {
    assertThat(fixtures.assess("custom/available-without-ready.yaml").health())
        .isEqualTo(Health.HEALTHY);
  }

  @Test
  void isProgressingWhileItsStatusDescribesAnOlderGeneration() {
    assertThat(fixtures.assess("custom/stale-generation.yaml").health())
        .isEqualTo(Health.PROGRESSING);
  }

  @Test
  void isDegradedWhenStalled() {
    assertThat(fixtures.assess("custom/stalled.yaml"))
        .isEqualTo(HealthStatus.degraded("Database shop/orders: stalled: storage quota exceeded"));
  }

  @Test
  void isHealthyOnceAnObjectWithoutConditionsExists() {
    assertThat(fixtures.assess("custom/no-conditions.yaml"))
        .isEqualTo(HealthStatus.healthy("ConfigMap shop/settings"));
  }
}
