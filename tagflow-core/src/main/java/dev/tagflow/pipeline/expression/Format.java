package dev.tagflow.pipeline.expression;

import java.util.function.IntFunction;

/**
 * {@code format('Hello {0} {1}', a, b)}: {@code {N}} is the N-th argument after the format as text,
 * {@code {{} and {@code }}} are literal braces; any other brace is an error, as in GitHub.
 */
final class Format {

  private Format() {}

  /** Refuses a format that {@link #apply} would refuse, for a format written as a literal. */
  static void check(String format, int arguments, int offset) {
    apply(format, arguments, index -> "", new Budget(ExpressionLimits.defaults()), offset, true);
  }

  /**
   * The formatted string; {@code argument} gives the text of argument N (evaluated only when the
   * format uses it), {@code offset} is where the format is, for messages. A format the workflow
   * does not spell out ({@code literal} false) is not quoted in a message: it may hold a secret.
   */
  static String apply(
      String format,
      int arguments,
      IntFunction<String> argument,
      Budget budget,
      int offset,
      boolean literal) {
    String named = literal ? "'" + excerpt(format) + "'" : "the format";
    StringBuilder out = new StringBuilder();
    String[] texts = new String[arguments];
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c == '{') {
        if (i + 1 < format.length() && format.charAt(i + 1) == '{') {
          out.append('{');
          i += 2;
          continue;
        }
        int close = i + 1;
        while (close < format.length()
            && format.charAt(close) >= '0'
            && format.charAt(close) <= '9') {
          close++;
        }
        if (close == i + 1 || close >= format.length() || format.charAt(close) != '}') {
          throw ExpressionException.at(
              offset,
              "format: "
                  + named
                  + " has a '{' at index "
                  + i
                  + " that is not {N} or {{; write {{ for a literal brace");
        }
        String digits = format.substring(i + 1, close);
        String significant = digits.replaceFirst("^0+(?=.)", "");
        int index = significant.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(significant);
        if (index >= arguments) {
          throw ExpressionException.at(
              offset,
              "format: "
                  + named
                  + " uses {"
                  + digits
                  + "} but has "
                  + arguments
                  + " argument"
                  + (arguments == 1 ? "" : "s")
                  + " after the format");
        }
        if (texts[index] == null) {
          texts[index] = argument.apply(index);
        }
        out.append(texts[index]);
        i = close + 1;
      } else if (c == '}') {
        if (i + 1 < format.length() && format.charAt(i + 1) == '}') {
          out.append('}');
          i += 2;
          continue;
        }
        throw ExpressionException.at(
            offset,
            "format: "
                + named
                + " has a '}' at index "
                + i
                + " that closes nothing; write }} for a literal brace");
      } else {
        out.append(c);
        i++;
      }
      budget.check(out.length(), "format");
    }
    return budget.keep(out.toString(), "format");
  }

  private static String excerpt(String format) {
    return format.length() <= 80 ? format : format.substring(0, 80) + "…";
  }
}
