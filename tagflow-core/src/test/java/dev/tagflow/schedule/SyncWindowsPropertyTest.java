package dev.tagflow.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Generated schedules, time zones (with daylight saving, half-hour offsets and a half-hour DST
 * shift) and instants: every answer of {@link CronSchedule} and {@link SyncWindows} equals a
 * brute-force walk minute by minute over a reference evaluator written separately here.
 */
class SyncWindowsPropertyTest {

  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("UTC"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Asia/Kolkata"),
          ZoneId.of("Australia/Lord_Howe"));
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  // Starting instants around the DST changes of the zones above, and ordinary ones.
  private static final List<Instant> STARTS =
      List.of(
          Instant.parse("2026-03-08T04:00:00Z"),
          Instant.parse("2026-03-28T20:00:00Z"),
          Instant.parse("2026-10-24T22:30:00Z"),
          Instant.parse("2026-04-04T12:00:00Z"),
          Instant.parse("2026-11-01T03:00:00Z"),
          Instant.parse("2027-02-27T23:59:30Z"),
          Instant.parse("2028-02-28T10:17:45.5Z"));

  private final Random random = new Random(20261206);

  @Test
  void nextStartIsTheFirstMatchingMinute() {
    for (int i = 0; i < 150; i++) {
      String expression = expression();
      ZoneId zone = pick(ZONES);
      Instant from = from();
      Reference reference = new Reference(expression);
      Optional<Instant> brute = Optional.empty();
      Instant t = ceil(from);
      Instant limit = t.plus(Duration.ofDays(40));
      for (; t.isBefore(limit); t = t.plusSeconds(60)) {
        if (reference.matches(t.atZone(zone).toLocalDateTime())) {
          brute = Optional.of(t);
          break;
        }
      }
      Optional<Instant> next = CronSchedule.parse(expression).nextStart(from, zone);
      String what = expression + " in " + zone + " from " + from;
      if (brute.isPresent()) {
        assertThat(next).as(what).isEqualTo(brute);
      } else {
        assertThat(next.filter(n -> n.isBefore(limit))).as(what).isEmpty();
      }
    }
  }

  @Test
  void verdictsAndNextWindowEqualAMinuteByMinuteWalk() {
    for (int i = 0; i < 25; i++) {
      ZoneId zone = pick(ZONES);
      List<SyncWindow> windows = new ArrayList<>();
      List<Reference> references = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      for (int w = 0; w < count; w++) {
        String expression = frequentExpression();
        SyncWindow.Kind kind = random.nextBoolean() ? SyncWindow.Kind.ALLOW : SyncWindow.Kind.DENY;
        Duration duration = Duration.ofMinutes(1 + random.nextInt(60));
        windows.add(
            new SyncWindow(
                kind, CronSchedule.parse(expression), duration, zone, random.nextBoolean()));
        references.add(new Reference(expression));
      }
      SyncWindows all = new SyncWindows(windows);
      Instant at = from();
      String what = windows + " at " + at;
      for (int w = 0; w < count; w++) {
        SyncWindow window = windows.get(w);
        boolean open = bruteOpen(window, references.get(w), at);
        assertThat(window.isOpen(at)).as(what).isEqualTo(open);
        if (open) {
          Instant end = at;
          while (bruteOpen(window, references.get(w), end)
              && end.isBefore(at.plus(Duration.ofDays(2)))) {
            end = ceil(end.plusNanos(1));
          }
          if (end.isBefore(at.plus(Duration.ofDays(2)))) {
            assertThat(window.closing(at)).as(what).contains(end);
          }
        }
      }
      Instant allowed = at;
      Instant limit = at.plus(Duration.ofDays(1));
      while (!bruteAllowed(windows, references, allowed) && allowed.isBefore(limit)) {
        allowed = ceil(allowed.plusNanos(1));
      }
      boolean allowedNow = bruteAllowed(windows, references, at);
      assertThat(all.verdict(at, false) instanceof WindowVerdict.Open)
          .as(what)
          .isEqualTo(allowedNow);
      if (allowed.isBefore(limit)) {
        assertThat(all.nextAllowed(at)).as(what).contains(allowed);
        if (all.verdict(at, false) instanceof WindowVerdict.Closed closed) {
          assertThat(closed.opensAt()).as(what).contains(allowed);
        }
      }
    }
  }

  private static boolean bruteOpen(SyncWindow window, Reference reference, Instant at) {
    for (Instant start = ceil(at.minus(window.duration()).plusNanos(1));
        !start.isAfter(at);
        start = start.plusSeconds(60)) {
      if (reference.matches(start.atZone(window.timeZone()).toLocalDateTime())) {
        return true;
      }
    }
    return false;
  }

  private static boolean bruteAllowed(
      List<SyncWindow> windows, List<Reference> references, Instant at) {
    boolean hasAllow = false;
    boolean allowOpen = false;
    for (int i = 0; i < windows.size(); i++) {
      boolean open = bruteOpen(windows.get(i), references.get(i), at);
      if (windows.get(i).kind() == SyncWindow.Kind.DENY && open) {
        return false;
      }
      if (windows.get(i).kind() == SyncWindow.Kind.ALLOW) {
        hasAllow = true;
        allowOpen |= open;
      }
    }
    return !hasAllow || allowOpen;
  }

  private static Instant ceil(Instant t) {
    Instant floor = t.truncatedTo(ChronoUnit.MINUTES);
    return floor.equals(t) ? t : floor.plusSeconds(60);
  }

  private Instant from() {
    return pick(STARTS).plus(Duration.ofSeconds(random.nextInt(3 * 24 * 3600)));
  }

  private String expression() {
    return switch (random.nextInt(12)) {
      case 0 -> pick(List.of("@daily", "@hourly", "@weekly", "@monthly", "@midnight"));
      default ->
          String.join(
              " ",
              field(0, 59, null),
              field(0, 23, null),
              random.nextInt(3) == 0 ? field(1, 31, null) : "*",
              random.nextInt(3) == 0 ? field(1, 12, MONTHS) : "*",
              random.nextInt(2) == 0 ? field(0, 7, DAYS) : "*");
    };
  }

  /** Schedules that start at least daily, so a short walk finds their windows. */
  private String frequentExpression() {
    return String.join(
        " ",
        field(0, 59, null),
        random.nextBoolean() ? "*" : field(0, 23, null),
        "*",
        "*",
        random.nextInt(4) == 0 ? "MON-FRI" : "*");
  }

  private String field(int min, int max, String[] names) {
    int parts = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
    List<String> out = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int a = min + random.nextInt(max - min + 1);
      int b = a + random.nextInt(max - a + 1);
      String low = name(a, names);
      out.add(
          switch (random.nextInt(7)) {
            case 0 -> "*";
            case 1 -> "*/" + (1 + random.nextInt(max - min + 1));
            case 2 -> low + "-" + name(b, names);
            case 3 -> low + "-" + name(b, names) + "/" + (1 + random.nextInt(5));
            case 4 -> a + "/" + (1 + random.nextInt(10));
            default -> low;
          });
    }
    return String.join(",", out);
  }

  private String name(int value, String[] names) {
    if (names == null || !random.nextBoolean()) {
      return String.valueOf(value);
    }
    int index = names.length == 12 ? value - 1 : value % 7;
    if (names.length == 7 && value == 7) {
      return String.valueOf(value); // SUN is 0; 7 stays a number so a range keeps its order
    }
    String name = names[index];
    return random.nextBoolean() ? name : name.toLowerCase(Locale.ROOT);
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  /** Cron written out naively: each field as the set of values its parts name. */
  private static final class Reference {
    private final List<Set<Integer>> fields = new ArrayList<>();
    private final boolean dayStar;
    private final boolean weekdayStar;

    Reference(String expression) {
      String text =
          switch (expression) {
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@hourly" -> "0 * * * *";
            case "@weekly" -> "0 0 * * 0";
            case "@monthly" -> "0 0 1 * *";
            default -> expression;
          };
      String[] parts = text.split(" ");
      int[][] bounds = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
      for (int i = 0; i < 5; i++) {
        Set<Integer> values = new HashSet<>();
        for (int v = bounds[i][0]; v <= (i == 4 ? 7 : bounds[i][1]); v++) {
          for (String part : parts[i].split(",")) {
            if (names(part, i, v, bounds[i][1])) {
              values.add(i == 4 && v == 7 ? 0 : v);
            }
          }
        }
        fields.add(values);
      }
      dayStar = List.of(parts[2].split(",")).contains("*");
      weekdayStar = List.of(parts[4].split(",")).contains("*");
    }

    private static boolean names(String part, int field, int v, int max) {
      String range = part;
      int step = 1;
      boolean open = false;
      if (part.contains("/")) {
        step = Integer.parseInt(part.substring(part.indexOf('/') + 1));
        range = part.substring(0, part.indexOf('/'));
        open = !range.contains("-");
      }
      int low;
      int high;
      if (range.equals("*")) {
        low = field == 2 || field == 3 ? 1 : 0;
        high = max;
      } else if (range.contains("-")) {
        low = number(range.split("-")[0]);
        high = number(range.split("-")[1]);
      } else {
        low = number(range);
        high = open ? Math.max(max, low) : low;
      }
      return v >= low && v <= high && (v - low) % step == 0;
    }

    private static int number(String text) {
      String upper = text.toUpperCase(Locale.ROOT);
      for (int i = 0; i < 12; i++) {
        if (MONTHS[i].equals(upper)) {
          return i + 1;
        }
      }
      for (int i = 0; i < 7; i++) {
        if (DAYS[i].equals(upper)) {
          return i;
        }
      }
      return Integer.parseInt(text);
    }

    boolean matches(LocalDateTime t) {
      boolean day = fields.get(2).contains(t.getDayOfMonth());
      boolean weekday = fields.get(4).contains(t.getDayOfWeek().getValue() % 7);
      boolean days = dayStar || weekdayStar ? day && weekday : day || weekday;
      return fields.get(0).contains(t.getMinute())
          && fields.get(1).contains(t.getHour())
          && fields.get(3).contains(t.getMonthValue())
          && days;
    }
  }
}
