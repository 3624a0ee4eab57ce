package dev.tagflow.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagflow.TagflowException;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.Store;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sync history of applications in the store: each sync recorded when it starts, with the
 * manifests it applies (content-addressed: an unchanged application's syncs share one copy), and
 * updated when it ends and when its health settles. A rollback reads the manifests back.
 */
final class SyncRecords {

  private final Store store;
  private final ObjectJson objects = new ObjectJson();
  private final ObjectMapper json = new ObjectMapper();
  private final StatusJson statusJson = new StatusJson();

  SyncRecords(Store store) {
    this.store = store;
  }

  /**
   * Stores the manifests and records a sync that starts now.
   *
   * @return the entry, with its id
   */
  HistoryEntry started(
      String application,
      GitRevision revision,
      List<GenericKubernetesResource> manifests,
      SyncTrigger trigger,
      Instant now) {
    String hash = store.manifests().put(encode(manifests));
    return store
        .history()
        .record(
            application,
            SyncRecord.started(revision.commit(), revision.requested(), hash, trigger, now));
  }

  /** Records a sync that starts now with manifests already stored (a rollback's). */
  HistoryEntry startedWith(
      String application,
      GitRevision revision,
      String manifestsHash,
      SyncTrigger trigger,
      Instant now) {
    return store
        .history()
        .record(
            application,
            SyncRecord.started(
                revision.commit(), revision.requested(), manifestsHash, trigger, now));
  }

  /** Records how the sync ended; an entry already pruned from history is left pruned. */
  void finished(
      HistoryEntry entry, SyncResult result, ChangeSet changes, String message, Instant now) {
    store
        .history()
        .update(
            new HistoryEntry(
                entry.application(),
                entry.id(),
                entry.sync().finished(result, statusJson.write(changes), message, now)));
  }

  /** Records the application's health after the sync of that entry, when it changed. */
  void healthAfter(String application, long id, String health) {
    Optional<HistoryEntry> entry = store.history().get(application, id);
    if (entry.isPresent()
        && !entry.get().sync().healthAfter().equals(Optional.of(health))
        && entry.get().sync().result() != SyncResult.RUNNING) {
      store
          .history()
          .update(new HistoryEntry(application, id, entry.get().sync().withHealthAfter(health)));
    }
  }

  Optional<HistoryEntry> get(String application, long id) {
    return store.history().get(application, id);
  }

  List<HistoryEntry> list(String application) {
    return store.history().list(application);
  }

  /**
   * The manifests an entry recorded, as objects to apply again.
   *
   * @throws TagflowException (INVALID_INPUT) when they are no longer stored
   */
  List<GenericKubernetesResource> manifests(HistoryEntry entry) {
    byte[] bytes =
        store
            .manifests()
            .get(entry.sync().manifestsHash())
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        "the manifests of sync #"
                            + entry.id()
                            + " of '"
                            + entry.application()
                            + "' are no longer stored; roll back to a newer entry"));
    return decode(bytes);
  }

  /** Canonical JSON (keys sorted), so the same objects always hash the same. */
  byte[] encode(List<GenericKubernetesResource> manifests) {
    List<Map<String, Object>> trees = new ArrayList<>(manifests.size());
    for (GenericKubernetesResource manifest : manifests) {
      trees.add(objects.toMap(manifest));
    }
    return objects.toCanonicalJson(trees).getBytes(StandardCharsets.UTF_8);
  }

  List<GenericKubernetesResource> decode(byte[] bytes) {
    try {
      List<?> trees = json.readValue(bytes, List.class);
      List<GenericKubernetesResource> manifests = new ArrayList<>(trees.size());
      for (Object tree : trees) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        manifests.add(objects.fromMap(map));
      }
      return manifests;
    } catch (IOException e) {
      throw TagflowException.failed("stored manifests are not JSON: " + e.getMessage(), e);
    }
  }
}
