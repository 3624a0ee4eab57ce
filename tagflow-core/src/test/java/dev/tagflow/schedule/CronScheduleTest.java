package dev.tagflow.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Bad schedules are refused naming the part and the field; a few starts worked out by hand. */
class CronScheduleTest {

  @Test
  void refusesWhatArgoCdsParserRefusesNamingThePart() {
    assertThat(CronSchedule.problem("")).contains("'' has 0 fields, not 5");
    assertThat(CronSchedule.problem("0 22 * *")).contains("'0 22 * *' has 4 fields, not 5");
    assertThat(CronSchedule.problem("60 * * * *").orElseThrow()).startsWith("'60' is not a minute");
    assertThat(CronSchedule.problem("*/0 * * * *").orElseThrow())
        .startsWith("'*/0' is not a minute");
    assertThat(CronSchedule.problem("1-2-3 * * * *").orElseThrow()).startsWith("'1-2-3'");
    assertThat(CronSchedule.problem("5-1 * * * *").orElseThrow()).startsWith("'5-1'");
    assertThat(CronSchedule.problem("0 0 * FOO *").orElseThrow()).contains("JAN-DEC");
    assertThat(CronSchedule.problem("0 0 * * MON-FRY").orElseThrow()).contains("SUN-SAT");
    assertThat(CronSchedule.problem("\u0663 * * * *").orElseThrow()).contains("not a minute");
    assertThat(CronSchedule.problem("0 0 * * *,").orElseThrow()).startsWith("'' is not a weekday");
    assertThat(CronSchedule.problem("*/99999999999 * * * *")).isPresent();
    assertThat(CronSchedule.problem("@every 1h").orElseThrow()).contains("@daily");
  }

  @Test
  void startsWorkedOutByHand() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    // 02:30 does not exist in Berlin on 2026-03-29: the next start is the day after.
    assertThat(
            CronSchedule.parse("30 2 * * *")
                .nextStart(Instant.parse("2026-03-28T02:00:00Z"), berlin))
        .contains(Instant.parse("2026-03-30T00:30:00Z"));
    // February 30 never comes.
    assertThat(
            CronSchedule.parse("0 0 30 2 *")
                .nextStart(Instant.parse("2026-01-01T00:00:00Z"), berlin))
        .isEmpty();
    // Day of month OR weekday when both are restricted: the 13th, or any Friday.
    assertThat(
            CronSchedule.parse("0 0 13 * FRI")
                .nextStart(Instant.parse("2026-12-06T00:00:00Z"), ZoneId.of("UTC")))
        .contains(Instant.parse("2026-12-11T00:00:00Z"));
    assertThat(
            CronSchedule.parse("@weekly")
                .nextStart(Instant.parse("2026-12-06T00:00:01Z"), ZoneId.of("UTC")))
        .contains(Instant.parse("2026-12-13T00:00:00Z"));
  }

  @Test
  void schedulesWrittenAlikeAreEqualSoAReloadWithoutChangeIsNone() {
    assertThat(CronSchedule.parse("0 22 * * 1-5")).isEqualTo(CronSchedule.parse("0 22 * * 1-5"));
    assertThat(CronSchedule.parse("0 22 * * 1-5").hashCode())
        .isEqualTo(CronSchedule.parse("0 22 * * 1-5").hashCode());
    assertThat(CronSchedule.parse("0 22 * * 1-5")).isNotEqualTo(CronSchedule.parse("0 23 * * 1-5"));
  }
}
