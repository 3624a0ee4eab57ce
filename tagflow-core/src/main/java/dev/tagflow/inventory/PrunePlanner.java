package dev.tagflow.inventory;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes what an application owned and Git no longer has, from its {@link Inventory}: only with
 * prune on, never an object annotated {@code tagflow.dev/prune: "false"} (or Argo CD's {@code
 * Prune=false} sync option), never an object that no longer carries this application's tracking id,
 * and never more than the allowed share without confirmation.
 */
public final class PrunePlanner {

  /** {@code tagflow.dev/prune: "false"} keeps an object when Git drops it. */
  public static final String PRUNE_ANNOTATION = "tagflow.dev/prune";

  private static final String ARGO_SYNC_OPTIONS = "argocd.argoproj.io/sync-options";

  private final LiveLookup live;

  /** A planner reading live objects from there (a cache or the API server). */
  public PrunePlanner(LiveLookup live) {
    this.live = live;
  }

  /** What pruning the stale objects (old inventory − desired) would do. */
  public PrunePlan plan(Inventory old, Collection<ObjectRef> desired, PruneOptions options) {
    List<ObjectRef> delete = new ArrayList<>();
    List<ChangeSetEntry> kept = new ArrayList<>();
    List<ObjectRef> gone = new ArrayList<>();
    List<ChangeSetEntry> unreadable = new ArrayList<>();
    for (ObjectRef ref : old.staleAfter(desired)) {
      Optional<GenericKubernetesResource> current;
      try {
        current = live.live(ref);
      } catch (ClusterException e) {
        if (e.is(ClusterFailure.GONE_KIND)) {
          gone.add(ref); // discovery confirms its kind is no longer served: it cannot exist
        } else if (!options.prune()) {
          kept.add(
              skip(ref, "no longer in Git; prune is off, so it is kept (" + e.getMessage() + ")"));
        } else {
          unreadable.add(ChangeSetEntry.failed(ref, "not pruned: could not read it to decide", e));
        }
        continue;
      }
      if (current.isEmpty()) {
        gone.add(ref);
      } else if (!Tracking.isTrackedAs(current.get(), old.application(), ref)) {
        kept.add(skip(ref, "no longer carries this application's tracking id; left alone"));
      } else if (keepsOnPrune(current.get())) {
        kept.add(skip(ref, "annotated " + PRUNE_ANNOTATION + ": \"false\"; kept"));
      } else if (!options.prune()) {
        kept.add(skip(ref, "no longer in Git; prune is off, so it is kept"));
      } else {
        delete.add(ref);
      }
    }
    if (!options.confirmed()
        && !delete.isEmpty()
        && delete.size() > options.maxDeleteShare() * old.size()) {
      return new PrunePlan.NeedsConfirmation(delete, old.size(), options.maxDeleteShare());
    }
    return new PrunePlan.Ready(delete, kept, gone, unreadable);
  }

  /**
   * Deletes the planned objects with the resource manager; the change set also lists the stale
   * objects kept, as skipped, and those that could not be read, as failed.
   */
  public static ChangeSet execute(
      PrunePlan.Ready plan, ResourceManager manager, String application, boolean dryRun) {
    return new ChangeSet(plan.kept())
        .plus(new ChangeSet(plan.unreadable()))
        .plus(manager.delete(plan.delete(), application, dryRun));
  }

  /**
   * The inventory after a sync: what was applied, what Git still has and the application owned
   * before (even if its apply failed this time), and every stale object whose deletion is not
   * confirmed (kept on purpose, unreadable, failed, or still there) so the next sync retries it.
   *
   * @param plan the plan as it stands after the deletions (deleted objects are then gone)
   */
  public static Inventory nextInventory(
      Inventory old,
      Collection<ObjectRef> desired,
      Collection<ObjectRef> applied,
      PrunePlan plan,
      ChangeSet deletions) {
    List<ObjectRef> stillOwned = new ArrayList<>();
    switch (plan) {
      case PrunePlan.Ready ready -> {
        ready.kept().forEach(e -> stillOwned.add(e.object()));
        ready.unreadable().forEach(e -> stillOwned.add(e.object()));
        stillOwned.addAll(ready.delete());
        deletions.withAction(Action.FAILED).forEach(e -> stillOwned.add(e.object()));
      }
      case PrunePlan.NeedsConfirmation waiting -> stillOwned.addAll(waiting.delete());
    }
    List<ObjectRef> wanted = new ArrayList<>(desired);
    List<ObjectRef> keep =
        old.objects().stream().filter(o -> wanted.contains(o) || stillOwned.contains(o)).toList();
    return Inventory.of(old.application(), applied).with(keep);
  }

  private static boolean keepsOnPrune(GenericKubernetesResource object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    if (annotations == null) {
      return false;
    }
    String argo = annotations.getOrDefault(ARGO_SYNC_OPTIONS, "");
    return "false".equalsIgnoreCase(annotations.get(PRUNE_ANNOTATION))
        || argo.replace(" ", "").contains("Prune=false");
  }

  private static ChangeSetEntry skip(ObjectRef ref, String why) {
    return new ChangeSetEntry(ref, Action.SKIPPED, why);
  }
}
