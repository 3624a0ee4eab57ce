package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HealthTest {

  @Test
  void ordersHealthFromHealthyToUnknown() {
    assertThat(Health.values())
        .containsExactly(
            Health.HEALTHY,
            Health.SUSPENDED,
            Health.PROGRESSING,
            Health.MISSING,
            Health.DEGRADED,
            Health.UNKNOWN);
    assertThat(Health.DEGRADED.isWorseThan(Health.MISSING)).isTrue();
    assertThat(Health.UNKNOWN.isWorseThan(Health.DEGRADED)).isTrue();
    assertThat(Health.SUSPENDED.isWorseThan(Health.HEALTHY)).isTrue();
    assertThat(Health.PROGRESSING.isWorseThan(Health.PROGRESSING)).isFalse();
    assertThat(Health.HEALTHY.worse(Health.PROGRESSING)).isEqualTo(Health.PROGRESSING);
  }

  @Test
  void readsTheNamesUsersWriteIgnoringCase() {
    assertThat(Health.parse("degraded")).contains(Health.DEGRADED);
    assertThat(Health.parse("Healthy")).contains(Health.HEALTHY);
    assertThat(Health.parse("fine")).isEmpty();
    assertThat(Health.PROGRESSING).hasToString("Progressing");
  }

  @Test
  void aggregationLetsTheWorstChildWinAndListsEveryChildAtThatLevel() {
    HealthStatus verdict =
        HealthStatus.aggregate(
            List.of(
                HealthStatus.healthy("Service shop/web"),
                HealthStatus.degraded("Pod shop/web-1: container main: CrashLoopBackOff"),
                HealthStatus.progressing("Deployment shop/web: 1/3 replicas available"),
                HealthStatus.degraded("Job shop/migrate: failed")));

    assertThat(verdict)
        .isEqualTo(
            HealthStatus.degraded(
                "Pod shop/web-1: container main: CrashLoopBackOff; Job shop/migrate: failed"));
  }

  @Test
  void aggregationOfNothingIsHealthy() {
    assertThat(HealthStatus.aggregate(List.of()).health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void anUnknownChildOutranksADegradedOne() {
    assertThat(
            HealthStatus.aggregate(List.of(HealthStatus.degraded("a"), HealthStatus.unknown("b")))
                .health())
        .isEqualTo(Health.UNKNOWN);
  }
}
