package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One pipeline run as stored.
 *
 * @param workflow the workflow's file, {@code .github/workflows/release.yml}
 * @param ref the full ref the run is for, {@code refs/tags/v1.2.3}
 * @param event {@code push} or {@code workflow_dispatch}
 * @param log the run's log file
 * @param result its jobs and steps as JSON, written when it ends; the pipeline owns its shape
 */
public record RunRecord(
    String runId,
    String repository,
    String workflow,
    String ref,
    String commit,
    String event,
    RunStatus status,
    Instant started,
    Optional<Instant> finished,
    String log,
    Optional<String> result) {

  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(result, "result");
  }

  /** Where a run is: waiting, running, or how it ended. */
  public enum RunStatus {
    /** Triggered and stored, waiting for a free slot; a restart starts it again. */
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILURE,
    CANCELLED,
    /** The server stopped while it ran; its log is kept and it can be run again. */
    INTERRUPTED;

    /** Whether the run is over: neither waiting for its turn nor running. */
    public boolean isEnded() {
      return this != QUEUED && this != RUNNING;
    }
  }
}
