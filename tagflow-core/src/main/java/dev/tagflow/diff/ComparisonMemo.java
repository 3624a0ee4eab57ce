package dev.tagflow.diff;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Differ}'s memory of its last comparison of each object (what it was made from and what
 * it found), bounded, with its "in sync" verdicts also kept in the store when there is one so that
 * they outlive the process.
 */
final class ComparisonMemo {

  private static final Logger log = LoggerFactory.getLogger(ComparisonMemo.class);

  /** The live version remembered for an object the cluster does not have. */
  static final String ABSENT = "";

  /**
   * How many comparisons are remembered: several times a large fleet (1,000 applications × 20
   * objects), so steady state never misses, while objects that left every application cannot grow
   * it without bound.
   */
  static final int LIMIT = 100_000;

  /**
   * The last comparison of one object, and what it was made from; a refused dry-run is remembered
   * only when it is an immutable field (the same two sides give the same refusal).
   *
   * @param liveVersion the live object's uid and resourceVersion, or {@link #ABSENT}
   * @param storedAt when the verdict was written to the store; 0 when it is not there
   */
  record Remembered(
      String desiredHash,
      String liveVersion,
      ResourceDiff result,
      Optional<ClusterException> failure,
      long storedAt) {

    Remembered stored(long at) {
      return new Remembered(desiredHash, liveVersion, result, failure, at);
    }
  }

  /** Least recently used entries go first once the limit is reached. */
  private static final class Bounded extends LinkedHashMap<ObjectRef, Remembered> {
    Bounded() {
      super(1024, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<ObjectRef, Remembered> eldest) {
      return size() > LIMIT;
    }
  }

  private final Map<ObjectRef, Remembered> memo = Collections.synchronizedMap(new Bounded());
  private final Optional<StoredVerdicts> stored;

  ComparisonMemo(Optional<StoredVerdicts> stored) {
    this.stored = stored;
  }

  /** The last comparison of that object; null when none is remembered. */
  Remembered get(ObjectRef ref) {
    return memo.get(ref);
  }

  /**
   * Remembers a comparison (or an apply's result); an "in sync" one is written to the store too.
   */
  void keep(
      ObjectRef ref,
      String desiredHash,
      String liveVersion,
      ResourceDiff result,
      Optional<ClusterException> failure) {
    Remembered now = new Remembered(desiredHash, liveVersion, result, failure, 0);
    memo.put(ref, now);
    if (result instanceof ResourceDiff.InSync) {
      store(ref, now);
    }
  }

  /** A remembered comparison was used again: its "in sync" verdict is refreshed in the store. */
  void used(ObjectRef ref, Remembered last) {
    if (last.result() instanceof ResourceDiff.InSync) {
      store(ref, last);
    }
  }

  void forget(ObjectRef ref) {
    memo.remove(ref);
  }

  /**
   * Reads from the store, in one query, the verdicts of the objects not remembered yet. An object's
   * reference is known for sure only once it is prepared (its namespace by the kind's scope), so
   * both readings are asked for.
   */
  void recall(List<GenericKubernetesResource> objects, DiffOptions options) {
    if (stored.isEmpty()) {
      return;
    }
    Set<ObjectRef> wanted = new HashSet<>();
    for (GenericKubernetesResource object : objects) {
      ObjectRef written;
      try {
        written = ObjectRef.of(object);
      } catch (TagflowException e) {
        continue; // the comparison reports it
      }
      List<ObjectRef> candidates =
          List.of(
              written.inNamespace(""),
              written.inNamespace(
                  written.namespace().isEmpty()
                      ? options.destinationNamespace()
                      : written.namespace()));
      if (candidates.stream().noneMatch(memo::containsKey)) {
        wanted.addAll(candidates);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    try {
      stored
          .get()
          .load(wanted)
          .forEach(
              (ref, verdict) ->
                  memo.putIfAbsent(
                      ref,
                      new Remembered(
                          verdict.desiredHash(),
                          verdict.liveVersion(),
                          new ResourceDiff.InSync(ref),
                          Optional.empty(),
                          verdict.writtenAt())));
    } catch (TagflowException e) {
      // Only a saving is lost: every object is dry-run as it would be without the store.
      log.warn(
          "application={} could not read the differ's memo: {}",
          options.application(),
          e.getMessage());
    }
  }

  /** Writes an "in sync" verdict to the store when it is not there or getting old. */
  private void store(ObjectRef ref, Remembered verdict) {
    if (stored.isEmpty() || !stored.get().due(verdict.storedAt())) {
      return;
    }
    long at = stored.get().save(ref, verdict.desiredHash(), verdict.liveVersion());
    if (at != 0) {
      memo.replace(ref, verdict, verdict.stored(at));
    }
  }

  /**
   * What identifies the live object's content: its resourceVersion, with its uid, since an object
   * deleted and created again is another object.
   */
  static String version(GenericKubernetesResource live) {
    return live.getMetadata().getUid() + "@" + live.getMetadata().getResourceVersion();
  }

  /**
   * Whether a live version ({@code uid@resourceVersion}) is an older one of the same object than
   * {@code remembered}: the same uid, and a lower resourceVersion (compared as numbers, as {@link
   * dev.tagflow.cluster.ObjectVersion} does; any other pair is not known to be older).
   */
  static boolean behind(String live, String remembered) {
    int at = live.lastIndexOf('@');
    int rememberedAt = remembered.lastIndexOf('@');
    if (at <= 0 || rememberedAt <= 0 || !live.regionMatches(0, remembered, 0, at)) {
      return false;
    }
    if (at != rememberedAt) {
      return false;
    }
    try {
      return Long.parseLong(live.substring(at + 1))
          < Long.parseLong(remembered.substring(rememberedAt + 1));
    } catch (NumberFormatException e) {
      return false; // not etcd's numbers: cannot be ordered
    }
  }
}
