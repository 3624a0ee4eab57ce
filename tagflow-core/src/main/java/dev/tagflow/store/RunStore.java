package dev.tagflow.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pipeline runs: written when they are queued, start and end; at start, the interrupted ones and
 * the ones still waiting for their turn.
 */
public interface RunStore {

  /**
   * Records a run that starts: a new one, or one recorded {@link #queued} (it becomes running,
   * started now).
   *
   * @throws dev.tagflow.TagflowException when a run of that id is stored already and not queued
   */
  void started(RunRecord run);

  /**
   * Records a run that waits for its turn, with what it needs to start after a restart.
   *
   * @param run its record, status {@link RunRecord.RunStatus#QUEUED}
   * @param request how to start it again, as its owner writes it (JSON)
   * @throws dev.tagflow.TagflowException when a run of that id is stored already
   */
  void queued(RunRecord run, String request);

  /** The runs still queued, oldest first, with their requests. */
  List<QueuedRun> queuedRuns();

  /** Records how a run ended (a running or a queued one); false when no such run has that id. */
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

  /** The ids of the runs still running: a restart kills what is left of their steps first. */
  List<String> running();

  /** A queued run and how to start it. */
  record QueuedRun(RunRecord run, String request) {}
}
