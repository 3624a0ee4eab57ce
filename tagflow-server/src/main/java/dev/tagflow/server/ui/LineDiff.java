package dev.tagflow.server.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two small texts (a values file before and after a promotion), as a list of kept,
 * removed and added lines, with long runs of kept lines folded to their first and last {@link
 * #CONTEXT} lines.
 */
public record LineDiff(List<Line> lines) {

  /** Lines of context kept around each change. */
  static final int CONTEXT = 3;

  /** The most lines of one side diffed; a longer file is summarized instead. */
  static final int MAX_LINES = 4000;

  /** What happened to a line. */
  public enum Kind {
    KEPT,
    REMOVED,
    ADDED,
    /** Unchanged lines left out; the line's text says how many. */
    FOLDED
  }

  /** One line of the diff. */
  public record Line(Kind kind, String text) {

    /** The sign a unified diff writes before the line. */
    public String sign() {
      return switch (kind) {
        case KEPT -> " ";
        case REMOVED -> "-";
        case ADDED -> "+";
        case FOLDED -> "…";
      };
    }
  }

  /** Whether any line differs. */
  public boolean changed() {
    return lines.stream().anyMatch(l -> l.kind() == Kind.REMOVED || l.kind() == Kind.ADDED);
  }

  /** The diff of {@code before} and {@code after}, by longest common subsequence of lines. */
  public static LineDiff of(String before, String after) {
    List<String> a = lines(before);
    List<String> b = lines(after);
    if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
      return new LineDiff(
          List.of(
              new Line(
                  Kind.FOLDED,
                  "the file has more than " + MAX_LINES + " lines: compare it in Git")));
    }
    int[][] common = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        common[i][j] =
            a.get(i).equals(b.get(j))
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<Line> all = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        all.add(new Line(Kind.KEPT, a.get(i++)));
        j++;
      } else if (j < b.size() && (i == a.size() || common[i][j + 1] > common[i + 1][j])) {
        all.add(new Line(Kind.ADDED, b.get(j++)));
      } else {
        all.add(new Line(Kind.REMOVED, a.get(i++)));
      }
    }
    return new LineDiff(fold(all));
  }

  private static List<Line> fold(List<Line> all) {
    List<Line> out = new ArrayList<>();
    int k = 0;
    while (k < all.size()) {
      if (all.get(k).kind() != Kind.KEPT) {
        out.add(all.get(k++));
        continue;
      }
      int end = k;
      while (end < all.size() && all.get(end).kind() == Kind.KEPT) {
        end++;
      }
      int keepHead = k == 0 ? 0 : CONTEXT;
      int keepTail = end == all.size() ? 0 : CONTEXT;
      if (end - k > keepHead + keepTail + 1) {
        out.addAll(all.subList(k, k + keepHead));
        out.add(new Line(Kind.FOLDED, (end - k - keepHead - keepTail) + " unchanged lines"));
        out.addAll(all.subList(end - keepTail, end));
      } else {
        out.addAll(all.subList(k, end));
      }
      k = end;
    }
    return out;
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    return lines;
  }
}
