package dev.tagflow.server.rbac;

import java.util.List;

/**
 * The object of a policy line, matched segment by segment ({@code /} separates them): {@code *}
 * within a segment matches any characters of it, a last segment {@code *} matches all the rest (so
 * {@code shop/*} is everything of project shop), and a segment {@code !x} matches any segment that
 * {@code x} does not ({@code *}/{@code !production}/{@code *}).
 */
record ObjectPattern(String text, List<String> segments) {

  static ObjectPattern of(String text) {
    return new ObjectPattern(text, List.of(text.split("/", -1)));
  }

  boolean matches(String object) {
    String[] parts = object.split("/", -1);
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (last && segment.equals("*")) {
        return parts.length >= segments.size();
      }
      if (i >= parts.length || !segmentMatches(segment, parts[i])) {
        return false;
      }
    }
    return parts.length == segments.size();
  }

  private static boolean segmentMatches(String pattern, String value) {
    if (pattern.startsWith("!")) {
      return !glob(pattern.substring(1), value);
    }
    return glob(pattern, value);
  }

  /** Whether {@code value} matches {@code pattern}, where {@code *} is any run of characters. */
  static boolean glob(String pattern, String value) {
    int p = 0;
    int v = 0;
    int star = -1;
    int mark = 0;
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = v;
      } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
        p++;
        v++;
      } else if (star >= 0) {
        p = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
