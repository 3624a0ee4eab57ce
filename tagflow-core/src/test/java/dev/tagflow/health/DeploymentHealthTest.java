package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeploymentHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenEveryReplicaIsUpdatedAndAvailable() {
    assertThat(fixtures.assess("deployment/available.yaml"))
        .isEqualTo(HealthStatus.healthy("Deployment shop/web: 3/3 replicas available"));
  }

  @Test
  void isProgressingAndCountsAvailableReplicasWhileSomeAreNotAvailable() {
    assertThat(fixtures.assess("deployment/partly-available.yaml"))
        .isEqualTo(HealthStatus.progressing("Deployment shop/web: 1/3 replicas available"));
  }

  @Test
  void isDegradedWithTheConditionsMessageWhenTheProgressDeadlineIsExceeded() {
    HealthStatus verdict = fixtures.assess("deployment/progress-deadline-exceeded.yaml");

    assertThat(verdict.health()).isEqualTo(Health.DEGRADED);
    assertThat(verdict.message())
        .isEqualTo(
            "Deployment shop/web: progress deadline exceeded: "
                + "ReplicaSet \"web-5d8c9b7f6d\" has timed out progressing.");
  }

  @Test
  void isSuspendedWhenPaused() {
    assertThat(fixtures.assess("deployment/paused.yaml").health()).isEqualTo(Health.SUSPENDED);
  }

  @Test
  void isProgressingUntilTheControllerObservesTheLatestGeneration() {
    assertThat(fixtures.assess("deployment/generation-not-observed.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "Deployment shop/web: waiting for the controller to observe generation 5"
                    + " (observed 4)"));
  }

  @Test
  void isProgressingWhileOldReplicasAreStillTerminating() {
    assertThat(fixtures.assess("deployment/old-replicas-terminating.yaml"))
        .isEqualTo(
            HealthStatus.progressing("Deployment shop/web: 1 old replicas pending termination"));
  }

  @Test
  void isProgressingWhileNewReplicasAreRollingOut() {
    assertThat(fixtures.assess("deployment/rolling-out.yaml"))
        .isEqualTo(HealthStatus.progressing("Deployment shop/web: 1/3 replicas updated"));
  }

  @Test
  void isJudgedTheSameInAnOlderApiGroup() {
    assertThat(fixtures.assess("deployment/extensions-v1beta1-available.yaml").health())
        .isEqualTo(Health.HEALTHY);
  }

  @Test
  void isProgressingWhileBeingDeleted() {
    assertThat(fixtures.assess("deployment/being-deleted.yaml"))
        .isEqualTo(HealthStatus.progressing("Deployment shop/web: being deleted"));
  }
}
