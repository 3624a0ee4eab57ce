package dev.tagflow.server.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unified diff laid out in two columns, live on the left and desired on the right, as GitHub's
 * split view does: a removed line beside the added line that replaces it, context on both sides,
 * one header row per hunk.
 *
 * @param rows the rows, top to bottom
 */
public record SideBySide(List<Row> rows) {

  /** What a row shows. */
  public enum Kind {
    /** A hunk's header: where the lines below are. */
    HUNK,
    /** The same line on both sides. */
    SAME,
    /** A line of the live object replaced by a line of the desired one. */
    CHANGED,
    /** Only on the live side: the desired object drops it. */
    REMOVED,
    /** Only on the desired side: a sync adds it. */
    ADDED
  }

  /**
   * One row; a line number is 0 where its side has no line.
   *
   * @param kind what it shows
   * @param liveLine the live line's number (1-based)
   * @param live the live line
   * @param desiredLine the desired line's number (1-based)
   * @param desired the desired line
   */
  public record Row(Kind kind, int liveLine, String live, int desiredLine, String desired) {

    /** The CSS class of a side: {@code del}, {@code add}, {@code same} or {@code none}. */
    public String liveClass() {
      return live.isEmpty() && liveLine == 0
          ? "none"
          : kind == Kind.CHANGED || kind == Kind.REMOVED ? "del" : "same";
    }

    public String desiredClass() {
      return desired.isEmpty() && desiredLine == 0
          ? "none"
          : kind == Kind.CHANGED || kind == Kind.ADDED ? "add" : "same";
    }
  }

  private static final Pattern HUNK =
      Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@");

  /** The rows of a unified diff as {@link dev.tagflow.diff.UnifiedDiff} writes it. */
  public static SideBySide of(String unifiedDiff) {
    List<Row> rows = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    int[] at = {0, 0};
    for (String line : unifiedDiff.split("\n", -1)) {
      if (line.startsWith("--- ") || line.startsWith("+++ ")) {
        continue;
      }
      Matcher hunk = HUNK.matcher(line);
      if (hunk.find()) {
        flush(rows, removed, added, at);
        at[0] = Integer.parseInt(hunk.group(1));
        at[1] = Integer.parseInt(hunk.group(2));
        rows.add(new Row(Kind.HUNK, 0, line, 0, line));
      } else if (line.startsWith("-")) {
        removed.add(line.substring(1));
      } else if (line.startsWith("+")) {
        added.add(line.substring(1));
      } else if (line.startsWith(" ")) {
        flush(rows, removed, added, at);
        rows.add(new Row(Kind.SAME, at[0]++, line.substring(1), at[1]++, line.substring(1)));
      }
    }
    flush(rows, removed, added, at);
    return new SideBySide(List.copyOf(rows));
  }

  /** Pairs the pending removed lines with the added ones, the longer block's rest one-sided. */
  private static void flush(List<Row> rows, List<String> removed, List<String> added, int[] at) {
    int n = Math.max(removed.size(), added.size());
    for (int i = 0; i < n; i++) {
      boolean left = i < removed.size();
      boolean right = i < added.size();
      Kind kind = left && right ? Kind.CHANGED : left ? Kind.REMOVED : Kind.ADDED;
      rows.add(
          new Row(
              kind,
              left ? at[0]++ : 0,
              left ? removed.get(i) : "",
              right ? at[1]++ : 0,
              right ? added.get(i) : ""));
    }
    removed.clear();
    added.clear();
  }
}
