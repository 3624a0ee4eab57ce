package dev.tagflow.pipeline.run;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A run's or job's cancellation: once cancelled, every action registered on it runs (killing the
 * processes of a step); a child (a job of a run) is cancelled with its parent.
 */
final class Cancellation {

  private final AtomicReference<String> reason = new AtomicReference<>();
  private final List<Runnable> actions = new CopyOnWriteArrayList<>();

  Cancellation child() {
    Cancellation child = new Cancellation();
    onCancel(() -> child.cancel(reason.get()));
    return child;
  }

  void cancel(String why) {
    if (reason.compareAndSet(null, why)) {
      actions.forEach(Runnable::run);
    }
  }

  boolean cancelled() {
    return reason.get() != null;
  }

  Optional<String> reason() {
    return Optional.ofNullable(reason.get());
  }

  /** Runs {@code action} when cancelled, at once if it already is; the result unregisters it. */
  Runnable onCancel(Runnable action) {
    actions.add(action);
    if (cancelled() && actions.remove(action)) {
      action.run();
    }
    return () -> actions.remove(action);
  }
}
