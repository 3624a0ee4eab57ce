package dev.tagflow.pipeline.run;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A run's or job's cancellation: once cancelled, every action registered on it runs (killing the
 * processes of a step); a child (a job of a run) is cancelled with its parent. Cancelling again
 * forces: it also stops what started after the first cancel ({@code if: always()} steps, which
 * GitHub runs after a cancel).
 */
final class Cancellation {

  private final AtomicReference<String> reason = new AtomicReference<>();
  private final List<Runnable> actions = new CopyOnWriteArrayList<>();
  private final List<Runnable> forceActions = new CopyOnWriteArrayList<>();
  private volatile boolean forced;

  Cancellation child() {
    Cancellation child = new Cancellation();
    onCancel(() -> child.cancel(reason.get()));
    onForce(() -> child.cancel(reason.get()));
    return child;
  }

  void cancel(String why) {
    if (reason.compareAndSet(null, why)) {
      actions.forEach(Runnable::run);
    } else if (!forced) {
      forced = true;
      forceActions.forEach(Runnable::run);
    }
  }

  /** Runs {@code action} when cancelled a second time; the result unregisters it. */
  Runnable onForce(Runnable action) {
    forceActions.add(action);
    if (forced && forceActions.remove(action)) {
      action.run();
    }
    return () -> forceActions.remove(action);
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
