package dev.tagflow.schedule;

import java.time.Instant;
import java.util.Optional;

/** Whether sync windows let a sync start. */
public sealed interface WindowVerdict {

  /**
   * A sync may start.
   *
   * @param byManualOverride only because a window lets people sync by hand ({@code manualSync})
   */
  record Open(boolean byManualOverride) implements WindowVerdict {}

  /**
   * No sync may start.
   *
   * @param why which window closes syncs
   * @param opensAt when automated syncs may start again; empty when not found (a deny window open
   *     for more than 8 days, or no allow window within a year)
   * @param unreadable closed because some windows could not be read ({@code why} says where)
   */
  record Closed(String why, Optional<Instant> opensAt, boolean unreadable)
      implements WindowVerdict {

    /** Closed by windows that were read. */
    public Closed(String why, Optional<Instant> opensAt) {
      this(why, opensAt, false);
    }

    /** {@code the deny window '0 22 * * *' for 1h (UTC) is open; the next window opens at …}. */
    public String message() {
      if (unreadable) {
        return why + "; syncs stay closed until the sync windows are fixed";
      }
      return why
          + "; "
          + opensAt
              .map(t -> "the next window opens at " + t)
              .orElse("no window opens within the time looked ahead");
    }
  }
}
