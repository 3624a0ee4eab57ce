package dev.tagflow.pipeline.workflow;

import java.util.List;

/**
 * The {@code branches}/{@code branches-ignore} or {@code tags}/{@code tags-ignore} of {@code
 * on.push}: patterns evaluated in order, the last one that matches deciding, as GitHub documents
 * ("a matching negative pattern after a positive match will exclude the Git ref; a matching
 * positive pattern after a negative match will include the Git ref again").
 */
public sealed interface RefFilter {

  /** Whether a push of a ref of this name passes the filter. */
  boolean admits(String name);

  /** {@code branches:} or {@code tags:}: a name runs when its last matching pattern is positive. */
  record Include(List<RefPattern> patterns) implements RefFilter {
    public Include {
      patterns = List.copyOf(patterns);
    }

    @Override
    public boolean admits(String name) {
      return lastMatch(patterns, name) == Boolean.TRUE;
    }
  }

  /**
   * {@code branches-ignore:} or {@code tags-ignore:}: a name is ignored when its last matching
   * pattern is positive; a {@code !pattern} after it takes it back.
   */
  record Ignore(List<RefPattern> patterns) implements RefFilter {
    public Ignore {
      patterns = List.copyOf(patterns);
    }

    @Override
    public boolean admits(String name) {
      return lastMatch(patterns, name) != Boolean.TRUE;
    }
  }

  /** True when the last pattern matching is positive, false when negative, null when none does. */
  private static Boolean lastMatch(List<RefPattern> patterns, String name) {
    Boolean decided = null;
    for (RefPattern pattern : patterns) {
      if (pattern.matches(name)) {
        decided = !pattern.negative();
      }
    }
    return decided;
  }
}
