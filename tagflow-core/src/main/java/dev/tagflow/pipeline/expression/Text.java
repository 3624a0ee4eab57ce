package dev.tagflow.pipeline.expression;

/**
 * Strings as GitHub treats them: compared ignoring case character by character (.NET's
 * OrdinalIgnoreCase), trimmed of any whitespace, and values written as text.
 */
final class Text {

  private Text() {}

  static String of(Value value, Budget budget) {
    return switch (value) {
      case Value.NullValue n -> "";
      case Value.BooleanValue b -> b.value() ? "true" : "false";
      case Value.NumberValue n -> NumberText.format(n.value());
      case Value.StringValue s -> s.value();
      case Value.ArrayValue a -> JsonText.write(a, budget);
      case Value.ObjectValue o -> JsonText.write(o, budget);
    };
  }

  static int compareIgnoreCase(String left, String right) {
    int length = Math.min(left.length(), right.length());
    for (int i = 0; i < length; i++) {
      char a = Character.toUpperCase(left.charAt(i));
      char b = Character.toUpperCase(right.charAt(i));
      if (a != b) {
        return Character.compare(a, b);
      }
    }
    return Integer.compare(left.length(), right.length());
  }

  static boolean equalsIgnoreCase(String left, String right) {
    return left.length() == right.length() && compareIgnoreCase(left, right) == 0;
  }

  static boolean startsWithIgnoreCase(String text, String prefix) {
    return text.length() >= prefix.length() && regionEqualsIgnoreCase(text, 0, prefix);
  }

  static boolean endsWithIgnoreCase(String text, String suffix) {
    return text.length() >= suffix.length()
        && regionEqualsIgnoreCase(text, text.length() - suffix.length(), suffix);
  }

  /** Knuth-Morris-Pratt, so a long text and a long part cost their lengths, not their product. */
  static boolean containsIgnoreCase(String text, String part) {
    if (part.isEmpty()) {
      return true;
    }
    char[] p = upper(part);
    int[] fallback = new int[p.length];
    for (int i = 1, k = 0; i < p.length; i++) {
      while (k > 0 && p[i] != p[k]) {
        k = fallback[k - 1];
      }
      if (p[i] == p[k]) {
        k++;
      }
      fallback[i] = k;
    }
    for (int i = 0, k = 0; i < text.length(); i++) {
      char c = Character.toUpperCase(text.charAt(i));
      while (k > 0 && c != p[k]) {
        k = fallback[k - 1];
      }
      if (c == p[k]) {
        k++;
      }
      if (k == p.length) {
        return true;
      }
    }
    return false;
  }

  private static char[] upper(String text) {
    char[] chars = new char[text.length()];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toUpperCase(text.charAt(i));
    }
    return chars;
  }

  private static boolean regionEqualsIgnoreCase(String text, int from, String part) {
    for (int i = 0; i < part.length(); i++) {
      if (Character.toUpperCase(text.charAt(from + i)) != Character.toUpperCase(part.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The string without the whitespace .NET's {@code Trim()} removes at either end. */
  static String trim(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  static boolean isWhitespace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }
}
