package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatefulSetHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenEveryReplicaIsReadyAtTheCurrentRevision() {
    assertThat(fixtures.assess("statefulset/ready.yaml"))
        .isEqualTo(HealthStatus.healthy("StatefulSet shop/db: 3/3 replicas ready"));
  }

  @Test
  void isProgressingWhileReplicasAreNotReady() {
    assertThat(fixtures.assess("statefulset/pods-not-ready.yaml"))
        .isEqualTo(HealthStatus.progressing("StatefulSet shop/db: 1/3 replicas ready"));
  }

  @Test
  void isProgressingUntilEveryReplicaRunsTheUpdateRevision() {
    assertThat(fixtures.assess("statefulset/rolling-update-in-progress.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "StatefulSet shop/db: 1/3 replicas updated to revision db-8a1"));
  }

  @Test
  void isHealthyWhenTheReplicasAboveThePartitionAreUpdated() {
    assertThat(fixtures.assess("statefulset/partition-rolled-out.yaml").health())
        .isEqualTo(Health.HEALTHY);
  }

  @Test
  void isProgressingBeforeTheControllerReportsAnyStatus() {
    assertThat(fixtures.assess("statefulset/no-status-yet.yaml").health())
        .isEqualTo(Health.PROGRESSING);
  }
}
