package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyOnceComplete() {
    assertThat(fixtures.assess("job/complete.yaml"))
        .isEqualTo(HealthStatus.healthy("Job shop/migrate: complete: 1 succeeded"));
  }

  @Test
  void isDegradedOnceFailedWithTheConditionsMessage() {
    assertThat(fixtures.assess("job/failed.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "Job shop/migrate: failed: Job has reached the specified backoff limit"));
  }

  @Test
  void isSuspendedWhenSuspended() {
    assertThat(fixtures.assess("job/suspended.yaml").health()).isEqualTo(Health.SUSPENDED);
  }

  @Test
  void isProgressingWhileItsPodsRun() {
    assertThat(fixtures.assess("job/running.yaml"))
        .isEqualTo(HealthStatus.progressing("Job shop/migrate: 1 active, 0 succeeded, 0 failed"));
  }
}
