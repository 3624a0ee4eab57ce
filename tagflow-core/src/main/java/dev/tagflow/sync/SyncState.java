package dev.tagflow.sync;

import dev.tagflow.apply.ChangeSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The saved state of a sync operation: enough to resume it after a restart, and what to show a
 * person meanwhile.
 *
 * @param application the application
 * @param revision the Git revision being synced (for logs and history)
 * @param status where it stands
 * @param prune the stale objects this sync deletes, decided once at its start (empty until then)
 * @param step the index of the current step in the plan
 * @param stepApplied whether the current step was applied (then only health is awaited)
 * @param stepStarted when the current step was applied (its wait timeout counts from here)
 * @param changes everything applied, run and deleted so far
 * @param message what the operation waits for, or why it stopped
 */
public record SyncState(
    String application,
    String revision,
    SyncStatus status,
    Optional<List<PruneTarget>> prune,
    int step,
    boolean stepApplied,
    Instant stepStarted,
    ChangeSet changes,
    String message) {

  /** A sync that has not started. */
  public static SyncState start(String application, String revision) {
    return new SyncState(
        application,
        revision,
        SyncStatus.RUNNING,
        Optional.empty(),
        0,
        false,
        Instant.EPOCH,
        ChangeSet.empty(),
        "");
  }

  SyncState planned(List<PruneTarget> targets, ChangeSet kept) {
    return new SyncState(
        application,
        revision,
        status,
        Optional.of(List.copyOf(targets)),
        step,
        stepApplied,
        stepStarted,
        changes.plus(kept),
        message);
  }

  SyncState applied(ChangeSet more, Instant now) {
    return new SyncState(
        application, revision, status, prune, step, true, now, changes.plus(more), message);
  }

  SyncState waiting(String why) {
    return new SyncState(
        application, revision, status, prune, step, stepApplied, stepStarted, changes, why);
  }

  SyncState next(ChangeSet more) {
    return new SyncState(
        application,
        revision,
        status,
        prune,
        step + 1,
        false,
        Instant.EPOCH,
        changes.plus(more),
        "");
  }

  SyncState ended(SyncStatus end, ChangeSet more, String why) {
    return new SyncState(
        application, revision, end, prune, step, stepApplied, stepStarted, changes.plus(more), why);
  }
}
