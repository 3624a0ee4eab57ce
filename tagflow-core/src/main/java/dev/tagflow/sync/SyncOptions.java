package dev.tagflow.sync;

import dev.tagflow.diff.IgnoreRule;
import dev.tagflow.inventory.PruneOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

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
    return edit(options -> options.prune = value);
  }

  public SyncOptions withPruneLast(boolean value) {
    return edit(options -> options.pruneLast = value);
  }

  public SyncOptions withCreateNamespace(boolean value) {
    return edit(options -> options.createNamespace = value);
  }

  public SyncOptions withReplace(boolean value) {
    return edit(options -> options.replace = value);
  }

  public SyncOptions withDryRun(boolean value) {
    return edit(options -> options.dryRun = value);
  }

  public SyncOptions withConfirmPrune(boolean value) {
    return edit(options -> options.confirmPrune = value);
  }

  public SyncOptions withWaitTimeout(Duration value) {
    return edit(options -> options.waitTimeout = value);
  }

  /** A copy with {@code change} made to its fields: one place that copies all of them. */
  private SyncOptions edit(Consumer<Fields> change) {
    Fields fields = new Fields(this);
    change.accept(fields);
    return fields.toOptions();
  }

  /** The fields of an options record while a copy of it is being changed. */
  private static final class Fields {
    boolean prune;
    boolean pruneLast;
    boolean createNamespace;
    boolean replace;
    boolean dryRun;
    double maxDeleteShare;
    boolean confirmPrune;
    boolean takeOver;
    String fieldManager;
    List<IgnoreRule> ignoreRules;
    Duration waitTimeout;

    Fields(SyncOptions from) {
      prune = from.prune;
      pruneLast = from.pruneLast;
      createNamespace = from.createNamespace;
      replace = from.replace;
      dryRun = from.dryRun;
      maxDeleteShare = from.maxDeleteShare;
      confirmPrune = from.confirmPrune;
      takeOver = from.takeOver;
      fieldManager = from.fieldManager;
      ignoreRules = from.ignoreRules;
      waitTimeout = from.waitTimeout;
    }

    SyncOptions toOptions() {
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
          waitTimeout);
    }
  }

  PruneOptions pruneOptions() {
    return new PruneOptions(prune, pruneLast, maxDeleteShare, confirmPrune, dryRun);
  }
}
