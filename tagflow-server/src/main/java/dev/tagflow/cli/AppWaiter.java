package dev.tagflow.cli;

import dev.tagflow.app.GoDuration;
import dev.tagflow.cli.client.ApiConnection;
import dev.tagflow.cli.client.ClientFailure;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits for an application to reach a goal (Synced, Healthy, a sync asked for having ended) by
 * reading it from the server every second, printing each change of its state on stderr, and ends
 * with the exit code a script tests: OK, {@link ExitCode#TIMEOUT}, {@link ExitCode#DEGRADED}, or
 * {@link ExitCode#FAILED} when the awaited sync failed.
 */
final class AppWaiter {

  /** How often the application is read. */
  static final Duration POLL = Duration.ofSeconds(1);

  /**
   * What to wait for.
   *
   * @param synced its sync status is Synced
   * @param healthy its health is Healthy (Degraded with no sync running ends the wait)
   * @param operationOtherThan a sync or rollback other than this one (its history id; "" for none)
   *     has ended: the one a verb just asked for, so that the state before it is not taken for its
   *     result (ids, not times: the server may start it before it answers the request)
   */
  record Goal(boolean synced, boolean healthy, Optional<String> operationOtherThan) {
    String describe() {
      List<String> parts = new ArrayList<>();
      operationOtherThan.ifPresent(a -> parts.add("the sync to end"));
      if (synced) {
        parts.add("Synced");
      }
      if (healthy) {
        parts.add("Healthy");
      }
      return String.join(", ", parts);
    }
  }

  private final ApiConnection api;
  private final String name;
  private final PrintWriter err;

  AppWaiter(ApiConnection api, String name, PrintWriter err) {
    this.api = api;
    this.name = name;
    this.err = err;
  }

  /** The {@code --timeout} text as a duration, or an invalid-input failure. */
  static Duration timeout(String text) {
    return GoDuration.parse(text)
        .filter(d -> !d.isNegative() && !d.isZero())
        .orElseThrow(
            () ->
                new ClientFailure(
                    ExitCode.INVALID_INPUT,
                    "--timeout '" + text + "' is not a duration, " + GoDuration.EXAMPLES));
  }

  /** Waits until the goal is reached or {@code timeout} has passed; the exit code. */
  int await(Goal goal, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = "";
    Map<String, Object> app;
    while (true) {
      app = api.get(AppCommand.path(name));
      String state = state(app);
      if (!state.equals(last)) {
        err.println(name + ": " + state);
        err.flush();
        last = state;
      }
      Optional<Integer> verdict = verdict(goal, app);
      if (verdict.isPresent()) {
        return verdict.get();
      }
      if (!Instant.now().isBefore(deadline)) {
        throw new ClientFailure(
            ExitCode.TIMEOUT,
            "timed out after "
                + timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                + " waiting for "
                + name
                + " ("
                + goal.describe()
                + "); it is "
                + state);
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientFailure(ExitCode.FAILED, "interrupted while waiting for " + name);
      }
    }
  }

  /** The exit code once the wait is over; empty while it goes on. */
  private Optional<Integer> verdict(Goal goal, Map<String, Object> app) {
    Map<?, ?> operation = app.get("operation") instanceof Map<?, ?> o ? o : Map.of();
    String phase = AppCommand.text(operation, "phase");
    boolean running = phase.equals("RUNNING");
    if (goal.operationOtherThan().isPresent()) {
      if (operation.isEmpty()
          || AppCommand.text(operation, "historyId").equals(goal.operationOtherThan().get())) {
        return Optional.empty(); // the controller has not started it yet
      }
      if (running) {
        return Optional.empty();
      }
      if (!phase.equals("SUCCEEDED")) {
        throw new ClientFailure(
            ExitCode.FAILED,
            name
                + ": sync #"
                + AppCommand.text(operation, "historyId")
                + " ended "
                + phase
                + ": "
                + AppCommand.text(operation, "message"));
      }
    }
    if (running) {
      return Optional.empty();
    }
    String health = AppCommand.text(app, "health");
    if (goal.healthy() && health.equals("Degraded")) {
      throw new ClientFailure(
          ExitCode.DEGRADED, name + " is Degraded: " + AppCommand.text(app, "healthMessage"));
    }
    boolean synced = !goal.synced() || AppCommand.text(app, "sync").equals("Synced");
    boolean healthy = !goal.healthy() || health.equals("Healthy");
    return synced && healthy ? Optional.of(ExitCode.OK) : Optional.empty();
  }

  /** {@code OutOfSync, Progressing; sync #4 RUNNING: wave 1 …} */
  static String state(Map<String, Object> app) {
    String state = AppCommand.text(app, "sync") + ", " + AppCommand.text(app, "health");
    if (app.get("operation") instanceof Map<?, ?> operation
        && AppCommand.text(operation, "phase").equals("RUNNING")) {
      state +=
          "; sync #"
              + AppCommand.text(operation, "historyId")
              + " running: "
              + AppCommand.text(operation, "step");
    }
    return state;
  }
}
