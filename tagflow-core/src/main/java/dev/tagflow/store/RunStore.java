package dev.tagflow.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Pipeline runs: written when they start and when they end; at start, the interrupted ones. */
public interface RunStore {

  /**
   * Records a run that starts.
   *
   * @throws dev.tagflow.TagflowException when a run of that id is stored already
   */
  void started(RunRecord run);

  /** Records how a run ended; false when no running run has that id. */
  boolean finished(String runId, RunRecord.RunStatus status, Instant at, String result);

  Optional<RunRecord> get(String runId);

  /** The runs of a workflow for a ref, newest first: whether a tag already ran it. */
  List<RunRecord> forRef(String repository, String workflow, String ref);

  /** The newest runs first, at most {@code limit}. */
  List<RunRecord> latest(int limit);

  /**
   * Marks every run still running as interrupted, ended at {@code at}: called once at start, when
   * no run of this process can be running yet. Returns the ids marked.
   */
  List<String> markInterrupted(Instant at);
}
