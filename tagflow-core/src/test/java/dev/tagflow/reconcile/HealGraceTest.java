package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealGraceTest {

  private final Duration grace = Duration.ofSeconds(5);
  private final Instant start = Instant.parse("2030-01-01T00:00:00Z");
  private final AppRuntime rt =
      new AppRuntime(
          Apps.app("web"),
          ApplicationStatus.unknown("web", ApplicationStatus.Automation.of(true, true)));

  @Test
  void theFirstHealWaitsTheGracePeriod() {
    assertThat(rt.healGrace(start, grace)).isEqualTo(grace);
  }

  @Test
  void driftThatComesBackSoonAfterAHealWaitsTwiceAsLongEachTime() {
    rt.healed(start);
    Duration second = rt.healGrace(start.plusSeconds(30), grace);
    rt.healed(start.plusSeconds(30));
    Duration third = rt.healGrace(start.plusSeconds(60), grace);

    assertThat(second).isEqualTo(Duration.ofSeconds(10));
    assertThat(third).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void theLongestWaitIsThreeMinutes() {
    Instant at = start;
    for (int i = 0; i < 20; i++) {
      rt.healed(at);
      at = at.plusSeconds(60);
    }

    assertThat(rt.healGrace(at, grace)).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void aHealLongAgoStartsTheCountAgain() {
    rt.healed(start);
    rt.healed(start.plusSeconds(10));

    assertThat(rt.healGrace(start.plusSeconds(10).plus(Duration.ofMinutes(6)), grace))
        .isEqualTo(grace);
  }
}
