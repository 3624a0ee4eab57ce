package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicaSetHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenAllReplicasAreAvailable() {
    assertThat(fixtures.assess("replicaset/available.yaml").health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void isDegradedWhenItCannotCreatePods() {
    assertThat(fixtures.assess("replicaset/replica-failure.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "ReplicaSet shop/web-5d8c: pods \"web-5d8c-x\" is forbidden: exceeded quota:"
                    + " compute"));
  }

  @Test
  void isProgressingWhileReplicasAreMissing() {
    assertThat(fixtures.assess("replicaset/waiting-for-replicas.yaml"))
        .isEqualTo(HealthStatus.progressing("ReplicaSet shop/web-5d8c: 1/2 replicas available"));
  }
}
