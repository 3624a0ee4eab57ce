package dev.tagflow.pipeline.run;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A run that was started: cancel it, or wait for its result. */
public final class RunHandle {

  private final String runId;
  private final Path log;
  private final Cancellation cancellation;
  private final CompletableFuture<RunResult> result;

  RunHandle(
      String runId, Path log, Cancellation cancellation, CompletableFuture<RunResult> result) {
    this.runId = runId;
    this.log = log;
    this.cancellation = cancellation;
    this.result = result;
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

  /** Waits for the run to end. */
  public RunResult await() throws InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("run " + runId + " failed in the runner", e.getCause());
    }
  }

  public boolean done() {
    return result.isDone();
  }
}
