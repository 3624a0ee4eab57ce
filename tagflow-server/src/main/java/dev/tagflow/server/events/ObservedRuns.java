package dev.tagflow.server.events;

import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of pipeline runs, telling listeners of each run as it ends (metrics, notifications):
 * every end of a run, refused, run, cancelled or interrupted, is recorded through it, so the
 * pipeline needs no call of its own. A listener's failure is logged; the run's record stands.
 */
public final class ObservedRuns implements RunStore {

  private static final Logger log = LoggerFactory.getLogger(ObservedRuns.class);

  private final RunStore store;
  private final List<Consumer<RunRecord>> listeners;

  public ObservedRuns(RunStore store, List<Consumer<RunRecord>> listeners) {
    this.store = Objects.requireNonNull(store, "store");
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void started(RunRecord run) {
    store.started(run);
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

  @Override
  public boolean finished(String runId, RunRecord.RunStatus status, Instant at, String result) {
    boolean changed = store.finished(runId, status, at, result);
    if (changed) {
      store.get(runId).ifPresent(this::tell);
    }
    return changed;
  }

  private void tell(RunRecord run) {
    for (Consumer<RunRecord> listener : listeners) {
      try {
        listener.accept(run);
      } catch (RuntimeException e) {
        log.error("run={}: a listener of run ends failed", run.runId(), e);
      }
    }
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
}
