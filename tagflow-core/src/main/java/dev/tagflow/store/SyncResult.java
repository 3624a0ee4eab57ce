package dev.tagflow.store;

/** How a recorded sync ended, or that it has not yet. */
public enum SyncResult {
  /** Still applying or waiting (or interrupted by a crash and not yet resumed). */
  RUNNING,
  /** Every step applied and every hook finished. */
  SUCCEEDED,
  /** A step failed; the entry's message says why. */
  FAILED
}
