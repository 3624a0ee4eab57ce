package dev.tagflow.sync;

import dev.tagflow.diff.IgnoreRule;
import dev.tagflow.inventory.PruneOptions;
import java.time.Duration;
import java.util.List;

/**
 * How one application is synced; {@code reconcile.SyncOptionsMapping} maps an Application's
 * syncPolicy onto it.
 *
 * @param prune delete objects Git no longer has (off: they are reported and kept)
 * @param pruneLast PruneLast=true: prune after the last wave, not in the pruned object's wave
 * @param createNamespace CreateNamespace=true: create the destination namespace if missing
 * @param replace Replace=true: recreate objects whose immutable fields changed
 * @param dryRun report what would change, change nothing
 * @param maxDeleteShare the prune circuit breaker's share (0.5: half of the objects)
 * @param confirmPrune the person confirmed a prune above that share
 * @param takeOver adopt objects another application tracks
 * @param fieldManager the server-side apply field manager ({@code tagflow})
 * @param ignoreRules differences that are not drift (ignoreDifferences)
 * @param waitTimeout how long one step may wait for health or a hook before the sync fails
 */
public record SyncOptions(
    boolean prune,
    boolean pruneLast,
    boolean createNamespace,
    boolean replace,
    boolean dryRun,
    double maxDeleteShare,
    boolean confirmPrune,
    boolean takeOver,
    String fieldManager,
    List<IgnoreRule> ignoreRules,
    Duration waitTimeout) {

  public SyncOptions {
    ignoreRules = List.copyOf(ignoreRules);
  }

  /** No prune, no namespace creation, for real, field manager {@code tagflow}, 5 min waits. */
  public static SyncOptions defaults() {
    return new SyncOptions(
        false,
        false,
        false,
        false,
        false,
        PruneOptions.DEFAULT_MAX_DELETE_SHARE,
        false,
        false,
        "tagflow",
        List.of(),
        Duration.ofMinutes(5));
  }

  public SyncOptions withPrune(boolean value) {
    return new SyncOptions(
        value,
        pruneLast,
        createNamespace,
        replace,
        dryRun,
        maxDeleteShare,
        confirmPrune,
        takeOver,
        fieldManager,
        ignoreRules,
        waitTimeout);
  }

  public SyncOptions withPruneLast(boolean value) {
    return new SyncOptions(
        prune,
        value,
        createNamespace,
        replace,
        dryRun,
        maxDeleteShare,
        confirmPrune,
        takeOver,
        fieldManager,
        ignoreRules,
        waitTimeout);
  }

  public SyncOptions withCreateNamespace(boolean value) {
    return new SyncOptions(
        prune,
        pruneLast,
        value,
        replace,
        dryRun,
        maxDeleteShare,
        confirmPrune,
        takeOver,
        fieldManager,
        ignoreRules,
        waitTimeout);
  }

  public SyncOptions withReplace(boolean value) {
    return new SyncOptions(
        prune,
        pruneLast,
        createNamespace,
        value,
        dryRun,
        maxDeleteShare,
        confirmPrune,
        takeOver,
        fieldManager,
        ignoreRules,
        waitTimeout);
  }

  public SyncOptions withDryRun(boolean value) {
    return new SyncOptions(
        prune,
        pruneLast,
        createNamespace,
        replace,
        value,
        maxDeleteShare,
        confirmPrune,
        takeOver,
        fieldManager,
        ignoreRules,
        waitTimeout);
  }

  public SyncOptions withConfirmPrune(boolean value) {
    return new SyncOptions(
        prune,
        pruneLast,
        createNamespace,
        replace,
        dryRun,
        maxDeleteShare,
        value,
        takeOver,
        fieldManager,
        ignoreRules,
        waitTimeout);
  }

  public SyncOptions withWaitTimeout(Duration value) {
    return new SyncOptions(
        prune,
        pruneLast,
        createNamespace,
        replace,
        dryRun,
        maxDeleteShare,
        confirmPrune,
        takeOver,
        fieldManager,
        ignoreRules,
        value);
  }

  PruneOptions pruneOptions() {
    return new PruneOptions(prune, pruneLast, maxDeleteShare, confirmPrune, dryRun);
  }
}
