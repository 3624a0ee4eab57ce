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
   * @param gone stale objects the cluster confirms absent (a 404, or a kind discovery confirms is
   *     no longer served); they leave the inventory
   * @param unreadable stale objects that could not be read (the server did not answer, refused): a
   *     failed entry each; they are not deleted and stay in the inventory, so the next sync decides
   *     again
   */
  record Ready(
      List<ObjectRef> delete,
      List<ChangeSetEntry> kept,
      List<ObjectRef> gone,
      List<ChangeSetEntry> unreadable)
      implements PrunePlan {

    public Ready {
      delete = List.copyOf(delete);
      kept = List.copyOf(kept);
      gone = List.copyOf(gone);
      unreadable = List.copyOf(unreadable);
    }
  }

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
