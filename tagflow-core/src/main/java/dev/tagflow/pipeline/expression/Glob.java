package dev.tagflow.pipeline.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code hashFiles} pattern, as {@code @actions/glob} reads it: path segments relative to the
 * workspace where {@code *} and {@code ?} match within a name, {@code [a-z]} and {@code [!a]} a
 * character, {@code **} any number of directories, a backslash escapes; a leading {@code !}
 * excludes, a trailing {@code /} matches directories only. Names starting with a dot match like any
 * other. Public for the runner's {@code path:} inputs ({@code actions/cache}, artifacts).
 *
 * @param segments the pattern's path segments, {@code **} kept as its own segment
 * @param exclude whether a match excludes the path instead of including it
 * @param directoriesOnly whether the pattern ended with {@code /}
 */
public record Glob(List<String> segments, boolean exclude, boolean directoriesOnly) {

  /** The segments before the first one with a wildcard: where a walk for this pattern starts. */
  public List<String> literalPrefix() {
    List<String> prefix = new ArrayList<>();
    for (String segment : segments) {
      if (hasWildcard(segment)) {
        break;
      }
      prefix.add(unescape(segment));
    }
    return prefix;
  }

  /** This pattern with {@code /**} after it: what matches a directory matches what is in it. */
  public Glob withDescendants() {
    List<String> longer = new ArrayList<>(segments);
    longer.add("**");
    return new Glob(List.copyOf(longer), exclude, false);
  }

  public static boolean hasWildcard(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }

  private static String unescape(String segment) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '\\' && i + 1 < segment.length()) {
        c = segment.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Whether a path (its segments, relative to the workspace) matches; by a table, not search. */
  public boolean matches(List<String> path, boolean directory) {
    if (directoriesOnly && !directory) {
      return false;
    }
    int p = segments.size();
    int s = path.size();
    // reach[i][j]: pattern segments from i match path segments from j.
    boolean[][] reach = new boolean[p + 1][s + 1];
    reach[p][s] = true;
    for (int i = p - 1; i >= 0; i--) {
      String segment = segments.get(i);
      for (int j = s; j >= 0; j--) {
        if (segment.equals("**")) {
          reach[i][j] = reach[i + 1][j] || (j < s && reach[i][j + 1]);
        } else {
          reach[i][j] = j < s && reach[i + 1][j + 1] && matchesName(segment, path.get(j));
        }
      }
    }
    return reach[0][0];
  }

  /**
   * One name against one segment: the usual single-backtrack wildcard match, so {@code *a*a*a*b}
   * against a long name costs the product of their lengths at worst, never an exponential search.
   */
  public static boolean matchesName(String pattern, String name) {
    int p = 0;
    int n = 0;
    int starP = -1;
    int starN = -1;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        starP = ++p;
        starN = n;
        continue;
      }
      int consumed = p < pattern.length() ? matchOne(pattern, p, name.charAt(n)) : -1;
      if (consumed > 0) {
        p += consumed;
        n++;
      } else if (starP >= 0) {
        p = starP;
        n = ++starN;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** How many pattern characters matched {@code c} at {@code p}, or -1 if they do not match it. */
  private static int matchOne(String pattern, int p, char c) {
    char first = pattern.charAt(p);
    if (first == '?') {
      return 1;
    }
    if (first == '\\' && p + 1 < pattern.length()) {
      return pattern.charAt(p + 1) == c ? 2 : -1;
    }
    if (first == '[') {
      int close = classEnd(pattern, p);
      if (close > 0) {
        return inClass(pattern, p + 1, close, c) ? close - p + 1 : -1;
      }
    }
    return first == c ? 1 : -1;
  }

  /** The index of the ']' closing the class at {@code open}, or -1 if it is a literal '['. */
  private static int classEnd(String pattern, int open) {
    int i = open + 1;
    if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
      i++;
    }
    if (i < pattern.length() && pattern.charAt(i) == ']') {
      i++; // a ']' first is a member
    }
    for (; i < pattern.length(); i++) {
      if (pattern.charAt(i) == ']') {
        return i;
      }
    }
    return -1;
  }

  private static boolean inClass(String pattern, int from, int close, char c) {
    boolean negate = pattern.charAt(from) == '!' || pattern.charAt(from) == '^';
    int i = negate ? from + 1 : from;
    boolean member = false;
    boolean first = true;
    while (i < close) {
      char low = pattern.charAt(i);
      if (low == ']' && !first) {
        break;
      }
      first = false;
      if (i + 2 < close && pattern.charAt(i + 1) == '-') {
        char high = pattern.charAt(i + 2);
        member |= c >= low && c <= high;
        i += 3;
      } else {
        member |= c == low;
        i++;
      }
    }
    return member != negate;
  }
}
