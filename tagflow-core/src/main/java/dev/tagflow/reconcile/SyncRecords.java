package dev.tagflow.reconcile;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.release.Release;
import dev.tagflow.release.ReleaseReader;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.Store;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;

/**
 * The sync history of applications in the store: each sync recorded when it starts, with the
 * manifests it applies (content-addressed: an unchanged application's syncs share one copy), and
 * updated when it ends and when its health settles. A rollback reads the manifests back.
 */
final class SyncRecords {

  /** How many of the newest pushed images {@link #builtDigests} looks through. */
  static final int BUILT_IMAGES_READ = 500;

  private final Store store;
  private final ObjectJson objects = new ObjectJson();
  private final StatusJson statusJson = new StatusJson();
  private final ReleaseReader releases = new ReleaseReader();

  SyncRecords(Store store) {
    this.store = store;
  }

  /**
   * Stores the manifests and their release, and records a sync that starts now linked to it.
   *
   * @param tag the tag pointing at the revision's commit, if any
   * @return the entry, with its id
   */
  HistoryEntry started(
      String application,
      GitRevision revision,
      Optional<String> tag,
      List<GenericKubernetesResource> manifests,
      SyncTrigger trigger,
      Instant now) {
    String hash = store.manifests().put(encode(manifests));
    Release release = releases.read(tag, revision.commit(), manifests, hash, Map.of(), now);
    String releaseId = recordRelease(release);
    return store
        .history()
        .record(
            application,
            SyncRecord.started(revision.commit(), revision.requested(), hash, trigger, now)
                .withRelease(releaseId));
  }

  /** Records a sync that starts now with manifests already stored (a rollback's). */
  HistoryEntry startedWith(
      String application,
      GitRevision revision,
      String manifestsHash,
      Optional<String> releaseId,
      SyncTrigger trigger,
      Instant now) {
    SyncRecord record =
        SyncRecord.started(revision.commit(), revision.requested(), manifestsHash, trigger, now);
    return store.history().record(application, releaseId.map(record::withRelease).orElse(record));
  }

  /**
   * Stores a release unless one with its id is stored: the id is derived from the content, so the
   * stored one is the same release recorded earlier (by this application or another).
   *
   * @return its id
   */
  String recordRelease(Release release) {
    if (store.releases().get(release.id()).isPresent()) {
      return release.id();
    }
    try {
      store.releases().insert(release);
    } catch (TagflowException e) {
      // Another application recorded the same content a moment ago, at another time.
      Optional<Release> stored = store.releases().get(release.id());
      if (stored.isEmpty() || !ReleaseReader.sameContent(stored.get(), release)) {
        throw e;
      }
    }
    return release.id();
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

  /**
   * The image references of the release an entry links whose digests are not known yet; empty when
   * it links none.
   */
  Set<String> undigested(String application, long id) {
    return store
        .history()
        .get(application, id)
        .flatMap(e -> e.sync().releaseId())
        .flatMap(r -> store.releases().get(r))
        .map(
            r ->
                r.images().stream()
                    .filter(i -> i.digest().isEmpty())
                    .map(Release.Image::reference)
                    .collect(Collectors.toCollection(LinkedHashSet::new)))
        .orElseGet(LinkedHashSet::new);
  }

  /**
   * The digests Tagflow's pipeline recorded when it pushed these references ({@code image:tag}),
   * the newest push of each, among the last {@value #BUILT_IMAGES_READ} images it pushed. Only for
   * references no Pod reports a digest of: a tag pushed again outside Tagflow is not seen here.
   */
  Map<String, String> builtDigests(Set<String> references) {
    Map<String, String> digests = new LinkedHashMap<>();
    if (references.isEmpty()) {
      return digests;
    }
    for (BuiltImage image : store.builtImages().latest(null, BUILT_IMAGES_READ)) {
      // Recorded as pushed, by digest (registry/web@sha256:…): the repository is before the '@'.
      int at = image.image().indexOf('@');
      String repository = at < 0 ? image.image() : image.image().substring(0, at);
      for (String tag : image.tags()) {
        String reference = repository + ":" + tag;
        if (references.contains(reference)) {
          digests.putIfAbsent(reference, image.digest());
        }
      }
    }
    return digests;
  }

  /**
   * Links the entry to the release with the digests the running Pods reported, when they add to
   * what its release knew: a new release (releases never change), the entry pointing at it.
   *
   * @return the new release's id, if one was recorded
   */
  Optional<String> withLiveDigests(
      String application, long id, Map<String, String> digests, Instant now) {
    Optional<HistoryEntry> entry = store.history().get(application, id);
    Optional<Release> before =
        entry.flatMap(e -> e.sync().releaseId()).flatMap(r -> store.releases().get(r));
    if (entry.isEmpty() || before.isEmpty() || digests.isEmpty()) {
      return Optional.empty();
    }
    Release after =
        releases.read(
            before.get().tag(),
            before.get().commit(),
            manifests(entry.get()),
            before.get().manifestsHash(),
            digests,
            now);
    if (after.id().equals(before.get().id())) {
      return Optional.empty();
    }
    recordRelease(after);
    store
        .history()
        .update(new HistoryEntry(application, id, entry.get().sync().withRelease(after.id())));
    return Optional.of(after.id());
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

  /**
   * The newest sync before {@code bad} that ended Healthy, with other manifests than it and still
   * stored: what the rollback policy re-applies.
   */
  Optional<HistoryEntry> lastHealthyBefore(HistoryEntry bad) {
    return store.history().list(bad.application()).stream()
        .filter(e -> e.id() < bad.id())
        .filter(e -> e.sync().result() == SyncResult.SUCCEEDED)
        .filter(e -> e.sync().healthAfter().equals(Optional.of("Healthy")))
        .filter(e -> !e.sync().manifestsHash().equals(bad.sync().manifestsHash()))
        .filter(e -> store.manifests().contains(e.sync().manifestsHash()))
        .findFirst();
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
      List<?> trees = PlainJson.MAPPER.readValue(bytes, List.class);
      List<GenericKubernetesResource> manifests = new ArrayList<>(trees.size());
      for (Object tree : trees) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        manifests.add(objects.fromMap(map));
      }
      return manifests;
    } catch (JacksonException e) {
      throw TagflowException.failed("stored manifests are not JSON: " + e.getMessage(), e);
    }
  }
}
