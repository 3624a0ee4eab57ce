package dev.tagflow.demo;

import dev.tagflow.TagflowException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the demo talks: numbered chapters, indented facts, commands shown as typed, and waits that
 * say what they wait for and how long they have waited.
 */
final class Narrator {

  /** How often a wait says it is still waiting when nothing changed. */
  private static final Duration HEARTBEAT = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final Instant started = Instant.now();
  private int chapter;

  Narrator(PrintWriter out) {
    this.out = out;
  }

  void chapter(String title) {
    chapter++;
    out.println();
    out.printf("[%d] %s   (%s)%n", chapter, title, elapsed(started));
    out.flush();
  }

  void say(String line) {
    out.println("    " + line);
    out.flush();
  }

  void command(String line) {
    say("$ " + line);
  }

  /** What a wait observes: a value once the condition holds, and what is seen meanwhile. */
  interface Probe<T> {
    /** The result once reached. */
    Optional<T> reached();

    /** What is seen now, for the progress line. */
    String seen();
  }

  /**
   * Waits until {@code probe} is reached, saying what it sees whenever that changes and at least
   * every 10 s; fails with {@code what} and the last thing seen after {@code timeout}.
   */
  <T> T await(String what, Duration timeout, Probe<T> probe) {
    Instant start = Instant.now();
    Instant lastSaid = Instant.EPOCH;
    String last = null;
    say("… waiting for " + what);
    while (true) {
      Optional<T> reached = probe.reached();
      if (reached.isPresent()) {
        return reached.get();
      }
      String seen = probe.seen();
      Instant now = Instant.now();
      if (!seen.equals(last) || Duration.between(lastSaid, now).compareTo(HEARTBEAT) >= 0) {
        say("  " + elapsed(start) + "  " + seen);
        last = seen;
        lastSaid = now;
      }
      if (Duration.between(start, now).compareTo(timeout) > 0) {
        throw TagflowException.failed(
            "the demo stopped: no " + what + " after " + elapsed(start) + "; last seen: " + seen);
      }
      sleep(Duration.ofMillis(500));
    }
  }

  /** A wait with no value: until {@code condition} holds. */
  void await(String what, Duration timeout, Supplier<Boolean> condition, Supplier<String> seen) {
    await(
        what,
        timeout,
        new Probe<Boolean>() {
          @Override
          public Optional<Boolean> reached() {
            return condition.get() ? Optional.of(true) : Optional.empty();
          }

          @Override
          public String seen() {
            return seen.get();
          }
        });
  }

  String sinceStart() {
    return elapsed(started);
  }

  static String elapsed(Instant from) {
    long seconds = Duration.between(from, Instant.now()).toSeconds();
    return seconds < 60 ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("the demo was interrupted");
    }
  }
}
