package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.schedule.SyncWindows;

/**
 * The sync windows of an application's environment (the environment policy's {@code syncWindows}),
 * judged together with its project's: a deny window of either closes syncs.
 */
@FunctionalInterface
public interface EnvironmentWindows {

  /**
   * The windows of the application's environment; {@link SyncWindows#unreadable} when the policy
   * that holds them has a mistake or cannot be read, none when the environment has none.
   */
  SyncWindows of(Application application);

  /** No environment has windows. */
  static EnvironmentWindows none() {
    return application -> SyncWindows.none();
  }
}
