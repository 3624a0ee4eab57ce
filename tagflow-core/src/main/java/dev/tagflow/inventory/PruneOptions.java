package dev.tagflow.inventory;

/**
 * When and how much an application's stale objects are deleted.
 *
 * @param prune delete objects Git no longer has; off, they are only reported (Git's deletions must
 *     be asked for, as in Argo CD)
 * @param pruneLast PruneLast=true: delete after every wave is applied and healthy, not alongside
 * @param maxDeleteShare the circuit breaker: a sync that would delete more than this share of the
 *     application's objects stops and asks for confirmation (a broken render or a wrong path
 *     otherwise deletes a whole application)
 * @param confirmed the person confirmed a deletion above the share
 * @param dryRun say what would be deleted, delete nothing
 */
public record PruneOptions(
    boolean prune, boolean pruneLast, double maxDeleteShare, boolean confirmed, boolean dryRun) {

  /** The circuit breaker's default: half of an application's objects. */
  public static final double DEFAULT_MAX_DELETE_SHARE = 0.5;

  /** Prune on, not last, the default share, nothing confirmed, for real. */
  public static PruneOptions enabled() {
    return new PruneOptions(true, false, DEFAULT_MAX_DELETE_SHARE, false, false);
  }

  /** Prune off: stale objects are reported and kept. */
  public static PruneOptions disabled() {
    return new PruneOptions(false, false, DEFAULT_MAX_DELETE_SHARE, false, false);
  }

  public PruneOptions withConfirmed(boolean value) {
    return new PruneOptions(prune, pruneLast, maxDeleteShare, value, dryRun);
  }

  public PruneOptions withPruneLast(boolean value) {
    return new PruneOptions(prune, value, maxDeleteShare, confirmed, dryRun);
  }

  public PruneOptions withDryRun(boolean value) {
    return new PruneOptions(prune, pruneLast, maxDeleteShare, confirmed, value);
  }
}
