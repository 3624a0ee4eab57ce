package dev.tagflow.inventory;

import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ObjectRef;
import java.util.List;

/** What pruning would do: delete these objects, or first ask a person to confirm. */
public sealed interface PrunePlan {

  /**
   * Ready to run.
   *
   * @param delete the stale objects to delete
   * @param kept stale objects left alone, each with why (prune off, annotated {@code
   *     tagflow.dev/prune: "false"}, no longer ours); they stay in the inventory
   * @param gone stale objects already absent from the cluster; they leave the inventory
   */
  record Ready(List<ObjectRef> delete, List<ChangeSetEntry> kept, List<ObjectRef> gone)
      implements PrunePlan {}

  /**
   * The circuit breaker tripped: the sync would delete more than the allowed share of the
   * application's objects, and nothing is deleted until a person confirms.
   */
  record NeedsConfirmation(List<ObjectRef> delete, int owned, double maxShare)
      implements PrunePlan {

    /** What to tell the person. */
    public String message() {
      return "this sync would delete "
          + delete.size()
          + " of the application's "
          + owned
          + " objects, more than the allowed "
          + Math.round(maxShare * 100)
          + " %; check that Git's manifests are complete, then confirm the prune to go on";
    }
  }
}
