package dev.tagflow.bench.flux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SideBySideTest {

  @Test
  void aSmallFleetIsListedFourTimesASecondAndABigOneLessOften() {
    assertThat(SideBySide.pollEvery(10)).isEqualTo(Duration.ofMillis(250));
    assertThat(SideBySide.pollEvery(100)).isEqualTo(Duration.ofMillis(250));
    assertThat(SideBySide.pollEvery(1000)).isEqualTo(Duration.ofSeconds(2));
  }
}
