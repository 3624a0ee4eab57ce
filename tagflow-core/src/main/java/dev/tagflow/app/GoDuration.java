package dev.tagflow.app;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Argo CD and Kubernetes users write them, Go's syntax: {@code 5s}, {@code 3m}, {@code
 * 1h30m}, {@code 500ms}. A bare number is refused, because seconds or minutes is a guess.
 */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");

  public static final String EXAMPLES = "e.g. 30s, 5m, 1h30m";

  private GoDuration() {}

  /** The duration the text says, or empty when it is not one (a bare number included). */
  public static Optional<Duration> parse(String text) {
    String t = text.strip();
    if (!WHOLE.matcher(t).matches()) {
      return Optional.empty();
    }
    double millis = 0;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      double amount = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
          };
    }
    return Optional.of(Duration.ofMillis(Math.round(millis)));
  }
}
