package dev.tagflow.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron schedule (minute hour day-of-month month weekday) as Argo CD's sync windows
 * read theirs: {@code *} and {@code ?}, lists {@code 1,15}, ranges {@code 9-17}, steps {@code
 * *}{@code /15} and {@code 5/15} (from 5 to the end), month and weekday names ({@code JAN}, {@code
 * MON-FRI}), weekday 7 for Sunday, and {@code @yearly @annually @monthly @weekly @daily @midnight
 * @hourly}. When both day-of-month and weekday are restricted a day matching either matches, as in
 * classic cron; when one is {@code *} the other decides. Times are matched on the wall clock of a
 * time zone: a start in a daylight-saving gap does not happen, one in an overlap happens twice.
 */
public final class CronSchedule {

  private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "weekday"};
  private static final int[][] BOUNDS = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12));
  private static final Map<String, Integer> WEEKDAYS =
      Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6);
  private static final Map<String, String> DESCRIPTORS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  // How far ahead a start is looked for: past this a schedule never starts (February 30).
  static final int HORIZON_YEARS = 8;

  private final String expression;
  private final BitSet[] sets = new BitSet[5];
  private final boolean dayOfMonthAny;
  private final boolean weekdayAny;

  private CronSchedule(String expression, String[] fields) {
    this.expression = expression;
    boolean[] any = new boolean[5];
    for (int i = 0; i < 5; i++) {
      sets[i] = new BitSet();
      for (String part : fields[i].split(",", -1)) {
        any[i] |= add(part, i, sets[i]);
      }
    }
    if (sets[4].get(7)) {
      sets[4].set(0);
    }
    dayOfMonthAny = any[2];
    weekdayAny = any[4];
  }

  /**
   * Reads a schedule.
   *
   * @throws IllegalArgumentException saying which field is wrong and what it may hold
   */
  public static CronSchedule parse(String expression) {
    String text = expression.trim();
    if (text.startsWith("@")) {
      String fields = DESCRIPTORS.get(text.toLowerCase(Locale.ROOT));
      if (fields == null) {
        throw new IllegalArgumentException(
            "'"
                + expression
                + "' is not a schedule: the names are "
                + String.join(", ", DESCRIPTORS.keySet().stream().sorted().toList()));
      }
      return new CronSchedule(expression, fields.split(" "));
    }
    String[] fields = text.isEmpty() ? new String[0] : text.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "'" + expression + "' has " + fields.length + " fields, not 5");
    }
    return new CronSchedule(expression, fields);
  }

  /** What is wrong with the expression, or empty when it is a valid schedule. */
  public static Optional<String> problem(String expression) {
    try {
      parse(expression);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  /** Whether the schedule starts at that minute of the wall clock. */
  public boolean matches(LocalDateTime time) {
    return sets[0].get(time.getMinute())
        && sets[1].get(time.getHour())
        && sets[3].get(time.getMonthValue())
        && dayMatches(time);
  }

  /**
   * The first start at or after {@code from} (rounded up to its minute) on the wall clock of {@code
   * zone}; empty when the schedule never starts (a day that no month has).
   */
  public Optional<Instant> nextStart(Instant from, ZoneId zone) {
    ZonedDateTime t = from.atZone(zone);
    if (t.getSecond() != 0 || t.getNano() != 0) {
      t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    }
    Instant end = from.plus(Duration.ofDays(366L * HORIZON_YEARS));
    while (t.toInstant().isBefore(end)) {
      LocalDateTime local = t.toLocalDateTime();
      if (!sets[3].get(local.getMonthValue())) {
        t = local.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(zone);
      } else if (!dayMatches(local)) {
        t = local.toLocalDate().plusDays(1).atStartOfDay(zone);
      } else if (!sets[1].get(local.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!sets[0].get(local.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t.toInstant());
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDateTime time) {
    boolean day = sets[2].get(time.getDayOfMonth());
    boolean weekday = sets[4].get(time.getDayOfWeek().getValue() % 7);
    return dayOfMonthAny || weekdayAny ? day && weekday : day || weekday;
  }

  /** Adds one part of a list to the set; answers whether it was a bare {@code *} or {@code ?}. */
  private static boolean add(String part, int field, BitSet set) {
    int min = BOUNDS[field][0];
    int max = BOUNDS[field][1];
    String range = part;
    int step = 1;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      String text = part.substring(slash + 1);
      if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) == 0) {
        throw wrong(part, field);
      }
      step = Integer.parseInt(text);
      range = part.substring(0, slash);
    }
    int low;
    int high;
    boolean any = false;
    if (range.equals("*") || range.equals("?")) {
      low = min;
      high = max == 7 ? 6 : max;
      any = step == 1;
    } else {
      String[] ends = range.split("-", -1);
      if (ends.length > 2) {
        throw wrong(part, field);
      }
      low = value(ends[0], field, part);
      high =
          ends.length == 2
              ? value(ends[1], field, part)
              : (slash >= 0 ? (max == 7 ? Math.max(6, low) : max) : low);
      if (low > high) {
        throw wrong(part, field);
      }
    }
    for (int v = low; v <= high; v += step) {
      set.set(v);
    }
    return any;
  }

  private static int value(String text, int field, String part) {
    String upper = text.toUpperCase(Locale.ROOT);
    Integer named = field == 3 ? MONTHS.get(upper) : field == 4 ? WEEKDAYS.get(upper) : null;
    if (named != null) {
      return named;
    }
    if (!text.matches("[0-9]{1,2}")) {
      throw wrong(part, field);
    }
    int n = Integer.parseInt(text);
    if (n < BOUNDS[field][0] || n > BOUNDS[field][1]) {
      throw wrong(part, field);
    }
    return n;
  }

  private static IllegalArgumentException wrong(String part, int field) {
    String names =
        field == 3 ? ", or JAN-DEC" : field == 4 ? ", or SUN-SAT (0 and 7 are Sunday)" : "";
    return new IllegalArgumentException(
        "'"
            + part
            + "' is not a "
            + FIELDS[field]
            + " ("
            + BOUNDS[field][0]
            + "-"
            + BOUNDS[field][1]
            + names
            + "; *, lists a,b, ranges a-b and steps /n)");
  }

  // Equal when written alike: a settings reload that changes nothing is seen as no change.
  @Override
  public boolean equals(Object other) {
    return other instanceof CronSchedule c && c.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return expression;
  }
}
