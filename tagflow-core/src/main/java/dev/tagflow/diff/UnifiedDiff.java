package dev.tagflow.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line (longest common subsequence), with three lines of
 * context around each change, as {@code diff -u} prints it.
 */
public final class UnifiedDiff {

  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /** The diff from {@code before} to {@code after}; empty when they are equal. */
  public static String of(String before, String after, String beforeName, String afterName) {
    List<String> a = lines(before);
    List<String> b = lines(after);
    List<Edit> edits = edits(a, b);
    if (edits.stream().allMatch(e -> e.type == ' ')) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(beforeName).append('\n');
    out.append("+++ ").append(afterName).append('\n');
    int i = 0;
    while (i < edits.size()) {
      if (edits.get(i).type == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      // Extend the hunk while the next change is within two contexts of this one.
      while (true) {
        int next = end;
        while (next < edits.size() && edits.get(next).type != ' ') {
          next++;
        }
        int gap = next;
        while (gap < edits.size() && edits.get(gap).type == ' ') {
          gap++;
        }
        if (gap < edits.size() && gap - next <= 2 * CONTEXT) {
          end = gap;
        } else {
          end = Math.min(edits.size(), next + CONTEXT);
          break;
        }
      }
      appendHunk(out, edits.subList(start, end));
      i = end;
    }
    return out.toString();
  }

  private static void appendHunk(StringBuilder out, List<Edit> hunk) {
    Edit first = hunk.get(0);
    int beforeCount = (int) hunk.stream().filter(e -> e.type != '+').count();
    int afterCount = (int) hunk.stream().filter(e -> e.type != '-').count();
    out.append("@@ -")
        .append(beforeCount == 0 ? first.beforeLine : first.beforeLine + 1)
        .append(',')
        .append(beforeCount)
        .append(" +")
        .append(afterCount == 0 ? first.afterLine : first.afterLine + 1)
        .append(',')
        .append(afterCount)
        .append(" @@\n");
    for (Edit edit : hunk) {
      out.append(edit.type).append(edit.text).append('\n');
    }
  }

  /** One line of the edit script; line numbers are where it is (0-based) in each text. */
  private record Edit(char type, String text, int beforeLine, int afterLine) {}

  private static List<Edit> edits(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int[][] common = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] =
            a.get(i).equals(b.get(j))
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<Edit> edits = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        edits.add(new Edit(' ', a.get(i), i, j));
        i++;
        j++;
      } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
        edits.add(new Edit('-', a.get(i), i, j));
        i++;
      } else {
        edits.add(new Edit('+', b.get(j), i, j));
        j++;
      }
    }
    return edits;
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(trimmed.split("\n", -1));
  }
}
