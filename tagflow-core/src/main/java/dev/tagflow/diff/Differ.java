package dev.tagflow.diff;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares an application's desired objects with the cluster: for each object a server-side apply
 * dry-run with field manager {@code tagflow}, compared with the live object, both trimmed to the
 * fields Tagflow manages (see {@link ManagedView}, the one judge of "in sync"). An object the
 * cluster does not have is dry-run too, so that what a sync is about to create is checked before
 * anything changes.
 *
 * <p>The dry-run is skipped when neither the desired object (its content hash, with the options)
 * nor the live object (its resourceVersion, or its absence) changed since the last comparison: with
 * live objects from a {@code LiveStateCache}, a steady state costs no request at all. Nor is an
 * object dry-run whose live view is older than a version this differ already compared or wrote (the
 * same uid, a lower resourceVersion): a cache that has not seen a sync's own writes yet answers
 * with the last verdict, not a comparison with the past; drift made since is a newer version, and
 * is dry-run when the cache delivers it. The objects of one call are compared concurrently, at most
 * {@link #DEFAULT_PARALLELISM} at a time unless told otherwise (as Flux's {@code
 * --concurrent-ssa}), so a wave of dry-runs does not take one round trip per object.
 *
 * <p>With {@link StoredVerdicts}, the "in sync" verdicts are also kept in the store, so that a new
 * process in steady state sends no dry-run either: each call first reads, in one query, the stored
 * verdicts of the objects it does not remember yet.
 */
public final class Differ {

  private static final Logger log = LoggerFactory.getLogger(Differ.class);

  /**
   * How many dry-runs one comparison sends at a time: Flux's default, a few round trips in flight
   * without making one application's sync a burst the API server's priority and fairness must
   * throttle.
   */
  public static final int DEFAULT_PARALLELISM = 4;

  /** The live version remembered for an object the cluster does not have. */
  private static final String ABSENT = "";

  private final ClusterGateway cluster;
  private final LiveLookup live;
  private final int parallelism;
  private final ObjectJson json = new ObjectJson();
  private final DesiredObject desiredObject = new DesiredObject(json);
  private final ManagedView views = new ManagedView();
  private final ComparisonMemo memo;
  private final LongAdder dryRuns = new LongAdder();

  /**
   * A differ over that cluster, sending at most {@link #DEFAULT_PARALLELISM} dry-runs at a time.
   *
   * @param live where live objects come from: a {@code LiveStateCache} in a controller, the gateway
   *     itself for a one-off comparison
   */
  public Differ(ClusterGateway cluster, LiveLookup live) {
    this(cluster, live, DEFAULT_PARALLELISM);
  }

  /**
   * A differ over that cluster.
   *
   * @param parallelism how many objects of one call are compared at a time (1: one after another)
   */
  public Differ(ClusterGateway cluster, LiveLookup live, int parallelism) {
    this(cluster, live, parallelism, Optional.empty());
  }

  /**
   * A differ over that cluster whose "in sync" verdicts are also kept in {@code stored}, so that
   * they outlive the process.
   */
  public Differ(
      ClusterGateway cluster, LiveLookup live, int parallelism, Optional<StoredVerdicts> stored) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.cluster = cluster;
    this.live = live;
    this.parallelism = parallelism;
    this.memo = new ComparisonMemo(stored);
  }

  /**
   * Compares every desired object, and reports as {@link ResourceDiff.Extra} each owned object that
   * still exists but Git no longer has.
   */
  public List<ResourceDiff> diff(
      List<GenericKubernetesResource> desired, Collection<ObjectRef> owned, DiffOptions options) {
    List<ResourceDiff> diffs = new ArrayList<>();
    Set<ObjectRef> wanted = new HashSet<>();
    for (Comparison comparison : compareAll(desired, options)) {
      wanted.add(comparison.diff().object());
      diffs.add(comparison.diff());
    }
    for (ObjectRef ref : owned) {
      if (!wanted.contains(ref)) {
        memo.forget(ref); // no longer desired: its last comparison will not be asked for again
        extra(ref).ifPresent(diffs::add);
      }
    }
    return diffs;
  }

  /**
   * An owned object Git no longer has: {@link ResourceDiff.Extra} while it exists, nothing once it
   * is gone, and {@link ResourceDiff.Unknown} when it cannot be read, since a read that got no
   * answer says nothing about whether it is gone.
   */
  private Optional<ResourceDiff> extra(ObjectRef ref) {
    try {
      return live.live(ref).map(found -> new ResourceDiff.Extra(ref));
    } catch (ClusterException e) {
      if (e.is(ClusterFailure.GONE_KIND)) {
        return Optional.empty(); // discovery confirms its kind is no longer served: it cannot exist
      }
      return Optional.of(new ResourceDiff.Unknown(ref, unreadable("could not read it", e)));
    }
  }

  /**
   * Compares one desired object with the cluster; a cluster call that fails makes it {@link
   * ResourceDiff.Unknown} (an immutable field, {@link ResourceDiff.OutOfSync}), never missing.
   */
  public ResourceDiff diff(GenericKubernetesResource object, DiffOptions options) {
    return compare(object, options).diff();
  }

  /**
   * Compares the objects, at most {@code parallelism} at a time. A bug in comparing one object is
   * that object's {@link ResourceDiff.Unknown} (no failure: not a cluster's), so the others are
   * still compared and the caller reports it.
   *
   * @return one comparison per object, in the order given
   */
  public List<Comparison> compareAll(List<GenericKubernetesResource> objects, DiffOptions options) {
    memo.recall(objects, options);
    if (parallelism == 1 || objects.size() <= 1) {
      return objects.stream().map(o -> compareReporting(o, options)).toList();
    }
    // Virtual threads, a permit each: a comparison the memo answers costs no thread start (a
    // steady-state resync of a hundred applications used to start four hundred platform threads).
    ThreadFactory threads = Thread.ofVirtual().name("tagflow-dry-run-", 1).factory();
    Semaphore permits = new Semaphore(parallelism);
    try (ExecutorService pool = Executors.newThreadPerTaskExecutor(threads)) {
      List<Future<Comparison>> running = new ArrayList<>();
      for (GenericKubernetesResource object : objects) {
        running.add(
            pool.submit(
                () -> {
                  permits.acquire();
                  try {
                    return compareReporting(object, options);
                  } finally {
                    permits.release();
                  }
                }));
      }
      List<Comparison> comparisons = new ArrayList<>();
      for (Future<Comparison> comparison : running) {
        comparisons.add(comparison.get());
      }
      return comparisons;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("interrupted while comparing objects with the cluster", e);
    } catch (ExecutionException e) {
      // compareReporting() rethrows only what the person must fix (an object without a name).
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(e.getCause());
    }
  }

  private Comparison compareReporting(GenericKubernetesResource object, DiffOptions options) {
    try {
      return compareRemembered(object, options);
    } catch (TagflowException e) {
      throw e; // the object itself is wrong (no name): the person must fix it
    } catch (RuntimeException e) {
      ObjectRef written = ObjectRef.of(object);
      log.error(
          "application={} could not compare {}: a bug in Tagflow",
          options.application(),
          written,
          e);
      return new Comparison(
          new ResourceDiff.Unknown(written, "could not compare it: unexpected error: " + e),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }
  }

  /**
   * Compares one desired object with the cluster: a server-side dry-run (or a remembered one) and
   * the live object it was compared with. A cluster call that fails is the comparison's failure,
   * never an exception.
   */
  public Comparison compare(GenericKubernetesResource object, DiffOptions options) {
    memo.recall(List.of(object), options);
    return compareRemembered(object, options);
  }

  private Comparison compareRemembered(GenericKubernetesResource object, DiffOptions options) {
    ObjectRef written = ObjectRef.of(object);
    Optional<ApiResource> type;
    try {
      type = cluster.discovery().find(written.apiVersion(), written.kind());
    } catch (ClusterException e) {
      return failed(
          new ResourceDiff.Unknown(written, unreadable("could not look its kind up", e)), e);
    }
    if (type.isEmpty()) {
      return failed(
          new ResourceDiff.Missing(written, maskedYaml(json.toMap(object))),
          new ClusterException(
              ClusterFailure.GONE_KIND,
              "the cluster does not serve " + written.kind() + " in " + written.apiVersion(),
              "check the apiVersion, or apply the CustomResourceDefinition that defines it first",
              null));
    }
    GenericKubernetesResource desired =
        desiredObject.prepare(
            object, type.get(), options.application(), options.destinationNamespace());
    ObjectRef ref = ObjectRef.of(desired);
    Optional<GenericKubernetesResource> current;
    try {
      current = live.live(ref);
    } catch (ClusterException e) {
      return new Comparison(
          new ResourceDiff.Unknown(ref, unreadable("could not read it", e)),
          Optional.of(desired),
          Optional.empty(),
          Optional.of(e));
    }
    String hash = hash(desired, options);
    String liveVersion = current.map(ComparisonMemo::version).orElse(ComparisonMemo.ABSENT);
    ComparisonMemo.Remembered last = memo.get(ref);
    if (last != null && last.desiredHash().equals(hash) && last.liveVersion().equals(liveVersion)) {
      memo.used(ref, last);
      return new Comparison(last.result(), Optional.of(desired), current, last.failure());
    }
    if (last != null
        && last.desiredHash().equals(hash)
        && ComparisonMemo.behind(liveVersion, last.liveVersion())) {
      // The live view has not caught up with a version of this object already compared (or
      // written by an apply, and remembered): a dry-run against it would compare the past. The
      // newer version's watch event compares again, and whatever changed it by then (a hand
      // edit included) is a newer version still, dry-run as usual.
      return new Comparison(last.result(), Optional.of(desired), current, last.failure());
    }
    Comparison result = dryRunAndCompare(ref, desired, current, options);
    if (result.failure().isEmpty() || result.failedWith(ClusterFailure.IMMUTABLE)) {
      // Any other refused or unanswered dry-run is asked again next time: it may not last.
      memo.keep(ref, hash, liveVersion, result.diff(), result.failure());
    } else {
      memo.forget(ref);
    }
    return result;
  }

  /**
   * Remembers that {@code desired} (as {@link Comparison#desired()} gave it) was just applied and
   * the server stored {@code stored}: applying the same object again would change nothing, so the
   * next comparison against that version needs no dry-run. A later change on either side (a new
   * resourceVersion, a new desired object) is compared as usual.
   */
  public void remember(
      GenericKubernetesResource desired, GenericKubernetesResource stored, DiffOptions options) {
    ObjectRef ref = ObjectRef.of(desired);
    if (stored.getMetadata().getResourceVersion() != null) {
      memo.keep(
          ref,
          hash(desired, options),
          ComparisonMemo.version(stored),
          new ResourceDiff.InSync(ref),
          Optional.empty());
    }
  }

  /**
   * How many objects of one call are compared at a time; a sync sends its applies as many at a
   * time, so one application never has more requests in flight than this.
   */
  public int parallelism() {
    return parallelism;
  }

  /** The number of dry-runs sent so far (what the memo saves is what this does not count). */
  public long dryRunCount() {
    return dryRuns.sum();
  }

  private Comparison dryRunAndCompare(
      ObjectRef ref,
      GenericKubernetesResource desired,
      Optional<GenericKubernetesResource> current,
      DiffOptions options) {
    GenericKubernetesResource dryRun;
    try {
      dryRuns.increment();
      dryRun = cluster.apply(desired, ApplyCall.dryRun(options.fieldManager()));
    } catch (ClusterException e) {
      ResourceDiff diff;
      if (e.is(ClusterFailure.IMMUTABLE)) {
        diff =
            new ResourceDiff.OutOfSync(
                ref,
                "an immutable field changed; it syncs only with Replace=true: "
                    + e.serverMessage());
      } else if (e.is(ClusterFailure.NOT_FOUND) && current.isEmpty()) {
        // Its namespace does not exist (yet): it is missing, and the apply says whether a sync
        // creates the namespace first.
        diff = new ResourceDiff.Missing(ref, maskedYaml(json.toMap(desired)));
      } else {
        diff =
            new ResourceDiff.Unknown(
                ref,
                e.failure().isTransient()
                    ? unreadable("could not dry-run apply it", e)
                    : "the server refused the dry-run ("
                        + e.failure().word()
                        + "): "
                        + e.serverMessage());
      }
      return new Comparison(diff, Optional.of(desired), current, Optional.of(e));
    }
    if (current.isEmpty()) {
      return new Comparison(
          new ResourceDiff.Missing(ref, maskedYaml(json.toMap(desired))),
          Optional.of(desired),
          current,
          Optional.empty());
    }
    ManagedView.Views views =
        this.views.compare(
            ref,
            json.toMap(current.get()),
            json.toMap(dryRun),
            options.fieldManager(),
            options.ignoreRules());
    if (views.equal()) {
      return new Comparison(
          new ResourceDiff.InSync(ref), Optional.of(desired), current, Optional.empty());
    }
    String diff =
        UnifiedDiff.of(json.toYaml(views.live()), json.toYaml(views.desired()), "live", "desired");
    log.info("application={} object={} out of sync", options.application(), ref);
    return new Comparison(
        new ResourceDiff.OutOfSync(ref, diff, views.fields()),
        Optional.of(desired),
        current,
        Optional.empty());
  }

  private static Comparison failed(ResourceDiff diff, ClusterException e) {
    return new Comparison(diff, Optional.empty(), Optional.empty(), Optional.of(e));
  }

  private static String unreadable(String what, ClusterException e) {
    return what + " (" + e.failure().word() + "): " + e.serverMessage();
  }

  private String maskedYaml(Map<String, Object> tree) {
    if (SecretMask.isSecret(tree)) {
      new SecretMask().mask(null, tree);
    }
    return json.toYaml(tree);
  }

  private String hash(GenericKubernetesResource desired, DiffOptions options) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(json.toCanonicalJson(json.toMap(desired)).getBytes(StandardCharsets.UTF_8));
      digest.update(options.fieldManager().getBytes(StandardCharsets.UTF_8));
      digest.update(options.ignoreRules().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
