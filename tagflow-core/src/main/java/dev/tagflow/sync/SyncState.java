package dev.tagflow.sync;

import dev.tagflow.apply.ChangeSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The saved state of a sync operation: enough to resume it after a restart, and what to show a
 * person meanwhile. {@link SyncStateJson} writes it as versioned JSON bytes for a store to keep,
 * and reads it back for a new operation, in a new process, to resume from.
 *
 * @param application the application
 * @param revision the Git revision being synced (for logs and history)
 * @param status where it stands
 * @param prune the stale objects this sync deletes, decided once at its start (empty until then)
 * @param step the index of the current step in the plan (in its SyncFail steps once failing)
 * @param stepApplied whether the current step was applied (then only health is awaited)
 * @param stepStarted when the current step was applied (its wait timeout counts from here)
 * @param changes everything applied, run and deleted so far
 * @param generatedNames the names the server generated for hooks with generateName, by hook
 *     identity ({@code batch/Job/shop/db-migrate-} → {@code db-migrate-x7k2p}), so a resumed sync
 *     waits for the same objects
 * @param failure set once the sync failed: why, followed by the outcome of each SyncFail hook so
 *     far; the operation then runs the SyncFail steps and ends {@link SyncStatus#FAILED}
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
    Map<String, String> generatedNames,
    Optional<String> failure,
    String message) {

  public SyncState {
    generatedNames = Map.copyOf(generatedNames);
  }

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
        Map.of(),
        Optional.empty(),
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
        generatedNames,
        failure,
        message);
  }

  SyncState applied(ChangeSet more, Map<String, String> names, Instant now) {
    Map<String, String> all = new HashMap<>(generatedNames);
    all.putAll(names);
    return new SyncState(
        application,
        revision,
        status,
        prune,
        step,
        true,
        now,
        changes.plus(more),
        all,
        failure,
        message);
  }

  SyncState waiting(String why) {
    return new SyncState(
        application,
        revision,
        status,
        prune,
        step,
        stepApplied,
        stepStarted,
        changes,
        generatedNames,
        failure,
        why);
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
        generatedNames,
        failure,
        "");
  }

  /** The sync failed; its SyncFail steps run next, from the first. */
  SyncState failing(ChangeSet more, String why) {
    return new SyncState(
        application,
        revision,
        status,
        prune,
        0,
        false,
        Instant.EPOCH,
        changes.plus(more),
        generatedNames,
        Optional.of(why),
        why + "; running the SyncFail hooks");
  }

  /** The next SyncFail step, with what the hooks of this one came to appended to the failure. */
  SyncState nextFailing(ChangeSet more, String outcomes) {
    String why = failure.orElse("") + outcomes;
    return new SyncState(
        application,
        revision,
        status,
        prune,
        step + 1,
        false,
        Instant.EPOCH,
        changes.plus(more),
        generatedNames,
        Optional.of(why),
        why + "; running the SyncFail hooks");
  }

  SyncState ended(SyncStatus end, ChangeSet more, String why) {
    return new SyncState(
        application,
        revision,
        end,
        prune,
        step,
        stepApplied,
        stepStarted,
        changes.plus(more),
        generatedNames,
        failure,
        why);
  }
}
