package dev.tagflow.sync;

/** The phases of a sync, in the order they run; SyncFail runs only when a sync fails. */
public enum Phase {
  /** Hooks that run before anything is applied (database migrations). */
  PRE_SYNC("PreSync"),
  /** The application's objects, and Sync hooks. */
  SYNC("Sync"),
  /** Hooks that run after every object is applied and healthy (smoke tests, notifications). */
  POST_SYNC("PostSync"),
  /** Hooks that run when the sync failed (clean-up, alerts). */
  SYNC_FAIL("SyncFail");

  private final String displayName;

  Phase(String displayName) {
    this.displayName = displayName;
  }

  /** {@code PreSync}, {@code Sync}, {@code PostSync}, {@code SyncFail}. */
  public String displayName() {
    return displayName;
  }
}
