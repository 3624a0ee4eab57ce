package dev.tagflow.server.system;

import dev.tagflow.UrlRedaction;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /readyz}: 200 once everything the server needs answers (the store, each cluster), else
 * 503; the body names each check and, for one that failed, why. The checks run at once, each given
 * at most the timeout, so a cluster that hangs makes the answer late by that much only.
 */
public final class ReadyHandler implements Handler {

  /**
   * One check's outcome.
   *
   * @param detail what it answered, or why it failed (URLs without credentials)
   */
  public record Check(String name, boolean ready, String detail) {}

  /**
   * The answer.
   *
   * @param status {@code ready} or {@code not ready}
   */
  public record Readiness(String status, List<Check> checks) {}

  private final Supplier<List<Probe>> probes;
  private final Duration timeout;

  public ReadyHandler(Supplier<List<Probe>> probes, Duration timeout) {
    this.probes = Objects.requireNonNull(probes, "probes");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public void handle(Context ctx) throws InterruptedException {
    Readiness readiness = check();
    ctx.status(readiness.status().equals("ready") ? 200 : 503).json(readiness);
  }

  /** Runs every probe now. */
  public Readiness check() throws InterruptedException {
    List<Probe> all = probes.get();
    List<Check> checks = new ArrayList<>();
    // Not closed with try-with-resources: close() would wait for a probe that hangs.
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<String>> answers =
          pool.invokeAll(
              all.stream().map(Probe::check).toList(), timeout.toMillis(), TimeUnit.MILLISECONDS);
      for (int i = 0; i < all.size(); i++) {
        checks.add(outcome(all.get(i).name(), answers.get(i)));
      }
    } finally {
      pool.shutdownNow();
    }
    boolean ready = checks.stream().allMatch(Check::ready);
    return new Readiness(ready ? "ready" : "not ready", checks);
  }

  private Check outcome(String name, Future<String> answer) throws InterruptedException {
    try {
      return new Check(name, true, UrlRedaction.redact(String.valueOf(answer.get())));
    } catch (CancellationException e) {
      return new Check(name, false, "no answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String message =
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      return new Check(name, false, UrlRedaction.redact(message));
    }
  }
}
