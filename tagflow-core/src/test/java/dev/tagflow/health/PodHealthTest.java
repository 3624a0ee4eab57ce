package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyWhenRunningAndReady() {
    assertThat(fixtures.assess("pod/running-and-ready.yaml"))
        .isEqualTo(HealthStatus.healthy("Pod shop/web-1: running and ready"));
  }

  @Test
  void isDegradedInACrashLoopAndSaysWhichContainer() {
    assertThat(fixtures.assess("pod/crash-loop-back-off.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "Pod shop/web-1: container main: CrashLoopBackOff: back-off 2m40s restarting"
                    + " failed container=main pod=web-1"));
  }

  @Test
  void isDegradedWhenItsImageCannotBePulled() {
    assertThat(fixtures.assess("pod/image-pull-back-off.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "Pod shop/web-1: container main: ImagePullBackOff: Back-off pulling image"
                    + " \"registry.invalid/web:9.9.9\""));
    assertThat(fixtures.assess("pod/err-image-pull.yaml"))
        .isEqualTo(HealthStatus.degraded("Pod shop/web-1: container main: ErrImagePull"));
  }

  @Test
  void isDegradedWhenFailedAndGivesTheContainersMessage() {
    assertThat(fixtures.assess("pod/failed.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "Pod shop/migrate: failed: container main relation \"orders\" does not exist"
                    + " (exit code 3)"));
  }

  @Test
  void isProgressingWhileContainersAreBeingCreated() {
    assertThat(fixtures.assess("pod/container-creating.yaml"))
        .isEqualTo(HealthStatus.progressing("Pod shop/web-1: container main: ContainerCreating"));
  }

  @Test
  void isProgressingAndSaysWhyWhileItCannotBeScheduled() {
    assertThat(fixtures.assess("pod/unschedulable.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "Pod shop/web-1: not scheduled: 0/2 nodes are available: 2 Insufficient cpu."));
  }

  @Test
  void isHealthyWhenItHasCompleted() {
    assertThat(fixtures.assess("pod/succeeded.yaml"))
        .isEqualTo(HealthStatus.healthy("Pod shop/migrate: completed"));
  }

  @Test
  void isDegradedWhenNotReadyAfterAContainerRestarted() {
    assertThat(fixtures.assess("pod/running-not-ready-after-restart.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "Pod shop/web-1: container main restarted: OOMKilled (exit code 137)"));
  }

  @Test
  void isProgressingWhileRunningButNotYetReady() {
    assertThat(fixtures.assess("pod/running-not-yet-ready.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "Pod shop/web-1: running, not ready: containers with unready status: [main]"));
  }

  @Test
  void isProgressingWhileAPodMeantToFinishIsStillRunning() {
    assertThat(fixtures.assess("pod/hook-running.yaml").health()).isEqualTo(Health.PROGRESSING);
  }
}
