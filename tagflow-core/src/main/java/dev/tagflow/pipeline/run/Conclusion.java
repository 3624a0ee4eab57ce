package dev.tagflow.pipeline.run;

import java.util.Locale;

/** How a run, job or step ended, in GitHub's words ({@code needs.<id>.result}, {@code outcome}). */
public enum Conclusion {
  SUCCESS,
  FAILURE,
  CANCELLED,
  SKIPPED;

  /**
   * The word expressions see: {@code success}, {@code failure}, {@code cancelled}, {@code skipped}.
   */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
