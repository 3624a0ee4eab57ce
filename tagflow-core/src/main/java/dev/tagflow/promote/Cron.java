package dev.tagflow.promote;

import java.util.Optional;

/** Checks a five-field cron expression, as sync windows write their schedule. */
final class Cron {

  private static final String[] NAMES = {"minute", "hour", "day of month", "month", "weekday"};
  private static final int[][] BOUNDS = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};

  private Cron() {}

  /** What is wrong with the expression, or empty when it is a valid schedule. */
  static Optional<String> problem(String expression) {
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      return Optional.of("'" + expression + "' has " + fields.length + " fields, not 5");
    }
    for (int i = 0; i < 5; i++) {
      for (String part : fields[i].split(",", -1)) {
        if (!valid(part, BOUNDS[i][0], BOUNDS[i][1])) {
          return Optional.of(
              "'"
                  + part
                  + "' is not a "
                  + NAMES[i]
                  + " ("
                  + BOUNDS[i][0]
                  + "-"
                  + BOUNDS[i][1]
                  + ", *, ranges a-b and steps /n)");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean valid(String part, int min, int max) {
    String range = part;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      String step = part.substring(slash + 1);
      if (!step.matches("[1-9][0-9]{0,2}")) {
        return false;
      }
      range = part.substring(0, slash);
    }
    if (range.equals("*")) {
      return true;
    }
    String[] ends = range.split("-", -1);
    if (ends.length > 2) {
      return false;
    }
    int low = number(ends[0], min, max);
    int high = ends.length == 2 ? number(ends[1], min, max) : low;
    return low >= 0 && high >= 0 && low <= high;
  }

  private static int number(String text, int min, int max) {
    if (!text.matches("[0-9]{1,2}")) {
      return -1;
    }
    int n = Integer.parseInt(text);
    return n < min || n > max ? -1 : n;
  }
}
