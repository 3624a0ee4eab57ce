package dev.tagflow.reconcile;

/**
 * What a person (or, later, the API) asks of one application; the application's next reconcile
 * takes it, so requests never race a running reconcile.
 */
sealed interface Request {

  /** Sync now, whatever automation says. */
  record SyncNow(boolean prune, boolean confirmPrune) implements Request {}

  /** Apply again the manifests recorded by that history entry, and turn automation off. */
  record Rollback(long historyId) implements Request {}

  /**
   * Compare again from scratch: fetch the repositories and render again (not the previous render of
   * the same inputs); the live state comes from the watch, which is current already.
   */
  record HardRefresh() implements Request {}

  /** Turn automated sync back on after a rollback turned it off. */
  record EnableAutomation() implements Request {}

  /** Automated sync must not apply this commit (the rollback policy's mark). */
  record BlockRevision(String commit, String reason) implements Request {}

  /** Automated sync may apply this commit again. */
  record UnblockRevision(String commit) implements Request {}
}
