package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import java.util.regex.Pattern;

/**
 * A glob over tag or branch names, as GitHub's {@code on.push.tags} writes them: {@code *} is any
 * run of characters but {@code /}, {@code **} any run including {@code /}, {@code ?} one character,
 * {@code [...]} one of a set. Everything else is itself.
 *
 * @param glob as written
 * @param literalPrefix what every matching name starts with ({@code prod-v} for {@code prod-v*}):
 *     the part before the version when the name is read as one
 */
record TagPattern(String glob, Pattern regex, String literalPrefix) {

  static TagPattern of(String glob) {
    if (glob.isEmpty() || glob.length() > 256) {
      throw TagflowException.invalidInput("a pattern has 1 to 256 characters");
    }
    StringBuilder regex = new StringBuilder();
    int firstWildcard = -1;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if ("*?[".indexOf(c) >= 0 && firstWildcard < 0) {
        firstWildcard = i;
      }
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            regex.append(".*");
            i++;
          } else {
            regex.append("[^/]*");
          }
        }
        case '?' -> regex.append("[^/]");
        case '[' -> {
          int close = glob.indexOf(']', i + 1);
          if (close < 0) {
            throw TagflowException.invalidInput(
                "the pattern " + glob + " opens a '[' it does not close");
          }
          regex.append(characterSet(glob, glob.substring(i + 1, close)));
          i = close;
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new TagPattern(
        glob,
        Pattern.compile(regex.toString()),
        firstWildcard < 0 ? glob : glob.substring(0, firstWildcard));
  }

  /**
   * {@code [abc]}, {@code [0-9]}, {@code [!a]} as a regular expression class whose every character
   * is written as a code ({@code \x{61}}), so that nothing in a set can be regex syntax.
   */
  private static String characterSet(String glob, String set) {
    boolean negated = set.startsWith("!") || set.startsWith("^");
    String members = negated ? set.substring(1) : set;
    if (members.isEmpty()) {
      throw TagflowException.invalidInput("the pattern " + glob + " has an empty set []");
    }
    StringBuilder out = new StringBuilder(negated ? "[^" : "[");
    int[] points = members.codePoints().toArray();
    for (int i = 0; i < points.length; i++) {
      out.append(String.format("\\x{%x}", points[i]));
      if (i + 2 < points.length && points[i + 1] == '-') {
        if (points[i + 2] < points[i]) {
          throw TagflowException.invalidInput(
              "the pattern " + glob + " has a range that runs backwards");
        }
        out.append('-').append(String.format("\\x{%x}", points[i + 2]));
        i += 2;
      }
    }
    return out.append(']').toString();
  }

  boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
