package dev.tagflow.pipeline.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A run that was started: cancel or interrupt it, or wait for its result. */
public final class RunHandle {

  private final String runId;
  private final Path log;
  private final Cancellation cancellation;
  private final CompletableFuture<RunResult> result;
  private final AtomicBoolean interrupted;

  RunHandle(
      String runId,
      Path log,
      Cancellation cancellation,
      CompletableFuture<RunResult> result,
      AtomicBoolean interrupted) {
    this.runId = runId;
    this.log = log;
    this.cancellation = cancellation;
    this.result = result;
    this.interrupted = interrupted;
  }

  public String runId() {
    return runId;
  }

  /** The run's log file, growing while the run goes. */
  public Path log() {
    return log;
  }

  /**
   * Cancels the run: every running step's process tree is killed, steps and jobs not started are
   * cancelled unless their {@code if:} asks for {@code always()} or {@code cancelled()}.
   */
  public void cancel(String reason) {
    cancellation.cancel(reason);
  }

  /**
   * Cancels the run because the process that runs it stops: as {@link #cancel}, but a run that ends
   * cancelled is recorded interrupted, for it did not fail and can be run again.
   */
  public void interrupt(String reason) {
    interrupted.set(true);
    cancellation.cancel(reason);
  }

  /** Waits for the run to end. */
  public RunResult await() throws InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("run " + runId + " failed in the runner", e.getCause());
    }
  }

  /**
   * Waits at most {@code timeout} for the run to end; whether it did (a run the runner failed on
   * has ended too).
   */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    try {
      result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  public boolean done() {
    return result.isDone();
  }
}
