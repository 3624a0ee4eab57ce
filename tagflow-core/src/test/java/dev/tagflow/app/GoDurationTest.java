package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void readsGoStyleDurations() {
    assertThat(GoDuration.parse("5s")).contains(Duration.ofSeconds(5));
    assertThat(GoDuration.parse("3m")).contains(Duration.ofMinutes(3));
    assertThat(GoDuration.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1.5h")).contains(Duration.ofMinutes(90));
  }

  @Test
  void refusesNumbersWithoutAUnitAndWords() {
    assertThat(GoDuration.parse("5")).isEmpty();
    assertThat(GoDuration.parse("5 minutes")).isEmpty();
    assertThat(GoDuration.parse("")).isEmpty();
    assertThat(GoDuration.parse("5d")).isEmpty();
  }
}
