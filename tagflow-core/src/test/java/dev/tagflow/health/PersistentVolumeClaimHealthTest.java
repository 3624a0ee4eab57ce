package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersistentVolumeClaimHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenBound() {
    assertThat(fixtures.assess("persistentvolumeclaim/bound.yaml"))
        .isEqualTo(HealthStatus.healthy("PersistentVolumeClaim shop/data: bound to pv-0042"));
  }

  @Test
  void isProgressingWhilePending() {
    assertThat(fixtures.assess("persistentvolumeclaim/pending.yaml").health())
        .isEqualTo(Health.PROGRESSING);
  }

  @Test
  void isDegradedWhenItsVolumeIsLost() {
    assertThat(fixtures.assess("persistentvolumeclaim/lost.yaml").health())
        .isEqualTo(Health.DEGRADED);
  }
}
