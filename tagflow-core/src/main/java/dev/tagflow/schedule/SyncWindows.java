package dev.tagflow.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sync windows that apply to one application, and whether they let a sync start now, as Argo CD
 * decides:
 *
 * <ul>
 *   <li>no window: every sync may start;
 *   <li>an open deny window closes syncs, whatever allow windows say (deny wins); a person may
 *       still sync by hand when every open deny window has {@code manualSync};
 *   <li>with allow windows, syncs start only while one is open; when none is, a person may still
 *       sync by hand when one of them has {@code manualSync}.
 * </ul>
 *
 * <p>A closed verdict says when automated syncs may start again: the first instant at which no deny
 * window is open and, if there are allow windows, one is.
 *
 * <p>Windows from several places (the project's, the environment's) are combined by {@link #and}:
 * one list, judged as above, so a deny window of either closes syncs and, when either has allow
 * windows, syncs start only inside one of them. Windows that could not be read ({@code unreadable}:
 * a policy file with a mistake) keep every sync closed, a person's too, until the file is fixed: a
 * deny window someone wrote must not be skipped because of a typo beside it.
 *
 * @param unreadable why some windows could not be read, each naming the file and line
 */
public record SyncWindows(List<SyncWindow> windows, List<String> unreadable) {

  // Each boundary looked at is a window opening or closing; a year of them is plenty.
  private static final int MAX_BOUNDARIES = 10_000;

  public SyncWindows {
    windows = List.copyOf(windows);
    unreadable = List.copyOf(unreadable);
  }

  /** Windows that were all read. */
  public SyncWindows(List<SyncWindow> windows) {
    this(windows, List.of());
  }

  /** No window: syncs always start. */
  public static SyncWindows none() {
    return new SyncWindows(List.of());
  }

  /** Windows that could not be read, and why: syncs stay closed until they can. */
  public static SyncWindows unreadable(String why) {
    return new SyncWindows(List.of(), List.of(why));
  }

  /** These windows and those, judged together (deny wins; allow windows of either open syncs). */
  public SyncWindows and(SyncWindows other) {
    List<SyncWindow> all = new ArrayList<>(windows);
    all.addAll(other.windows);
    List<String> problems = new ArrayList<>(unreadable);
    problems.addAll(other.unreadable);
    return new SyncWindows(all, problems);
  }

  /** Whether an automated sync ({@code manual} false) or a person's may start at that instant. */
  public WindowVerdict verdict(Instant at, boolean manual) {
    if (!unreadable.isEmpty()) {
      return new WindowVerdict.Closed(String.join("; ", unreadable), Optional.empty(), true);
    }
    List<SyncWindow> openDenies = new ArrayList<>();
    List<SyncWindow> allows = new ArrayList<>();
    boolean allowOpen = false;
    for (SyncWindow window : windows) {
      if (window.kind() == SyncWindow.Kind.DENY) {
        if (window.isOpen(at)) {
          openDenies.add(window);
        }
      } else {
        allows.add(window);
        allowOpen |= window.isOpen(at);
      }
    }
    if (!openDenies.isEmpty()) {
      if (manual && openDenies.stream().allMatch(SyncWindow::manualSync)) {
        return new WindowVerdict.Open(true);
      }
      return new WindowVerdict.Closed(
          "the " + openDenies.getFirst().describe() + " is open", nextAllowed(at));
    }
    if (!allows.isEmpty() && !allowOpen) {
      if (manual && allows.stream().anyMatch(SyncWindow::manualSync)) {
        return new WindowVerdict.Open(true);
      }
      return new WindowVerdict.Closed(
          "no allow window is open ("
              + String.join(", ", allows.stream().map(SyncWindow::describe).toList())
              + ")",
          nextAllowed(at));
    }
    return new WindowVerdict.Open(false);
  }

  /** The first instant at or after {@code at} when an automated sync may start, within a year. */
  public Optional<Instant> nextAllowed(Instant at) {
    return unreadable.isEmpty() ? next(at, true, Duration.ofDays(366)) : Optional.empty();
  }

  /**
   * The first instant at or after {@code at} when automated syncs are closed, within 8 days (what a
   * page shows as "open until"; shorter than {@link #nextAllowed}'s year, as a page asks for it at
   * every look): empty when they stay open that long, or are closed by unreadable windows.
   */
  public Optional<Instant> nextClosed(Instant at) {
    return unreadable.isEmpty() && !windows.isEmpty()
        ? next(at, false, Duration.ofDays(8))
        : Optional.empty();
  }

  private Optional<Instant> next(Instant at, boolean allowed, Duration horizon) {
    Instant t = at;
    Instant limit = at.plus(horizon);
    for (int i = 0; i < MAX_BOUNDARIES && t.isBefore(limit); i++) {
      if (allowedAutomatically(t) == allowed) {
        return Optional.of(t);
      }
      Instant now = t;
      Optional<Instant> next = Optional.empty();
      for (SyncWindow window : windows) {
        Optional<Instant> change = window.nextChange(now).filter(c -> c.isAfter(now));
        if (change.isPresent() && (next.isEmpty() || change.get().isBefore(next.get()))) {
          next = change;
        }
      }
      if (next.isEmpty() || !next.get().isAfter(t)) {
        return Optional.empty();
      }
      t = next.get();
    }
    return Optional.empty();
  }

  private boolean allowedAutomatically(Instant t) {
    boolean hasAllow = false;
    boolean allowOpen = false;
    for (SyncWindow window : windows) {
      boolean open = window.isOpen(t);
      if (window.kind() == SyncWindow.Kind.DENY && open) {
        return false;
      }
      if (window.kind() == SyncWindow.Kind.ALLOW) {
        hasAllow = true;
        allowOpen |= open;
      }
    }
    return !hasAllow || allowOpen;
  }
}
