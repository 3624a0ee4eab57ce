package dev.tagflow.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A time when syncs are allowed ({@code ALLOW}) or not ({@code DENY}), as Argo CD's sync windows:
 * it opens at each start of its schedule on the wall clock of its time zone and stays open for its
 * duration; starts closer together than the duration make one longer opening.
 *
 * @param manualSync whether a person may still sync by hand while this window keeps syncs closed
 */
public record SyncWindow(
    Kind kind, CronSchedule schedule, Duration duration, ZoneId timeZone, boolean manualSync) {

  // How far ahead an end is looked for, start by start: a window open for longer than this (starts
  // closer together than its duration) is taken as not ending.
  private static final Duration FOREVER = Duration.ofDays(8);

  public SyncWindow {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(timeZone, "timeZone");
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("a sync window's duration must be positive");
    }
  }

  /** Allow or deny. */
  public enum Kind {
    ALLOW,
    DENY;

    /** As written in files: {@code allow}, {@code deny}. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether the window is open at that instant: a start in {@code (at - duration, at]}. */
  public boolean isOpen(Instant at) {
    return schedule
        .nextStart(at.minus(duration).plusNanos(1), timeZone)
        .filter(start -> !start.isAfter(at))
        .isPresent();
  }

  /** When the window next opens at or after that instant (open then: that instant). */
  public Optional<Instant> nextOpening(Instant from) {
    return isOpen(from) ? Optional.of(from) : schedule.nextStart(from, timeZone);
  }

  /**
   * When the window, open at {@code at}, closes; empty when it stays open for more than 8 days (a
   * schedule whose starts are closer together than its duration).
   */
  public Optional<Instant> closing(Instant at) {
    Optional<Instant> start = schedule.nextStart(at.minus(duration).plusNanos(1), timeZone);
    if (start.isEmpty() || start.get().isAfter(at)) {
      return Optional.of(at); // not open: closed already
    }
    Instant end = start.get().plus(duration);
    Instant limit = at.plus(FOREVER);
    while (end.isBefore(limit)) {
      // A start before (or at) the end keeps the window open past it.
      Optional<Instant> later = schedule.nextStart(start.get().plusSeconds(60), timeZone);
      if (later.isEmpty() || later.get().isAfter(end)) {
        return Optional.of(end);
      }
      start = later;
      end = later.get().plus(duration);
    }
    return Optional.empty();
  }

  /** The next instant after {@code at} when whether it is open changes, if it can be found. */
  Optional<Instant> nextChange(Instant at) {
    return isOpen(at) ? closing(at) : schedule.nextStart(at, timeZone);
  }

  /** For messages: {@code deny window '0 22 * * *' for 1h (UTC)}. */
  public String describe() {
    return kind.word()
        + " window '"
        + schedule.expression()
        + "' for "
        + duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
        + " ("
        + timeZone.getId()
        + ")";
  }

  /** The windows whose selectors name the application (see {@link Selector}). */
  public static List<SyncWindow> matching(List<Scoped> windows, Selector.Target target) {
    return windows.stream().filter(w -> w.selector().matches(target)).map(Scoped::window).toList();
  }

  /** A window with the applications, namespaces and clusters it applies to. */
  public record Scoped(SyncWindow window, Selector selector) {}
}
