package dev.tagflow.server.pipeline;

import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The runner's run store, which records a run cancelled because the server stops as interrupted: it
 * did not fail, it can be run again.
 */
final class StoppingRunStore implements RunStore {

  private final RunStore store;
  private volatile boolean stopping;

  StoppingRunStore(RunStore store) {
    this.store = store;
  }

  /** From now on a cancelled run is recorded as interrupted. */
  void stopping() {
    stopping = true;
  }

  @Override
  public void started(RunRecord run) {
    store.started(run);
  }

  @Override
  public boolean finished(String runId, RunRecord.RunStatus status, Instant at, String result) {
    RunRecord.RunStatus recorded =
        stopping && status == RunRecord.RunStatus.CANCELLED
            ? RunRecord.RunStatus.INTERRUPTED
            : status;
    return store.finished(runId, recorded, at, result);
  }

  @Override
  public Optional<RunRecord> get(String runId) {
    return store.get(runId);
  }

  @Override
  public List<RunRecord> forRef(String repository, String workflow, String ref) {
    return store.forRef(repository, workflow, ref);
  }

  @Override
  public List<RunRecord> latest(int limit) {
    return store.latest(limit);
  }

  @Override
  public List<String> markInterrupted(Instant at) {
    return store.markInterrupted(at);
  }

  @Override
  public void queued(RunRecord run, String request) {
    store.queued(run, request);
  }

  @Override
  public List<QueuedRun> queuedRuns() {
    return store.queuedRuns();
  }

  @Override
  public List<String> running() {
    return store.running();
  }
}
