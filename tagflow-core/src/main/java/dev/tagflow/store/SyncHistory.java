package dev.tagflow.store;

import java.util.List;
import java.util.Optional;

/**
 * What each sync of an application did, the last {@link StoreOptions#historyLimit()} kept.
 *
 * <p>Recording an entry prunes the application's older entries in the same transaction, and with
 * them the manifests no remaining entry uses.
 */
public interface SyncHistory {

  /**
   * Records a sync and answers it with its id.
   *
   * @throws dev.tagflow.TagflowException when the manifests it names are not stored ({@link
   *     ManifestStore#put} first)
   */
  HistoryEntry record(String application, SyncRecord sync);

  /**
   * Replaces what may change once a sync is recorded: its result, change set, message, health
   * afterwards, release and end. Its revision, manifests, trigger and start stay as recorded.
   *
   * @return whether the entry was there to update (it may have been pruned)
   * @throws IllegalArgumentException when the entry's revision, manifests, trigger or start differ
   *     from what was recorded
   */
  boolean update(HistoryEntry entry);

  Optional<HistoryEntry> get(String application, long id);

  /** The application's entries, newest first. */
  List<HistoryEntry> list(String application);
}
