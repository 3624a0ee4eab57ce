package dev.tagflow.sync;

/** Where a sync operation stands. */
public enum SyncStatus {
  /** Steps remain; call {@link SyncOperation#step()} again. */
  RUNNING,
  /** Every step applied and healthy, stale objects pruned. */
  SUCCEEDED,
  /** A step failed (an apply, a hook, a timeout); the message says which and why. */
  FAILED,
  /** The prune circuit breaker stopped the sync before anything changed; confirm to go on. */
  NEEDS_CONFIRMATION;

  /** Whether the operation has ended. */
  public boolean isFinal() {
    return this != RUNNING;
  }
}
