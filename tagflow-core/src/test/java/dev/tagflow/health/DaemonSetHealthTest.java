package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonSetHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenEveryScheduledPodIsUpdatedAndAvailable() {
    assertThat(fixtures.assess("daemonset/all-nodes-available.yaml"))
        .isEqualTo(HealthStatus.healthy("DaemonSet kube-system/agent: 2/2 pods available"));
  }

  @Test
  void isProgressingWhilePodsAreBeingUpdated() {
    assertThat(fixtures.assess("daemonset/pods-being-updated.yaml"))
        .isEqualTo(HealthStatus.progressing("DaemonSet kube-system/agent: 1/2 pods updated"));
  }

  @Test
  void isProgressingWhileUpdatedPodsAreNotAvailable() {
    assertThat(fixtures.assess("daemonset/pods-not-available.yaml"))
        .isEqualTo(HealthStatus.progressing("DaemonSet kube-system/agent: 0/2 pods available"));
  }
}
