package dev.tagflow.diff;

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
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares an application's desired objects with the cluster: for each object a server-side apply
 * dry-run with field manager {@code tagflow}, compared with the live object, both trimmed to the
 * fields Tagflow manages (see {@link ManagedView}).
 *
 * <p>The dry-run is skipped when neither the desired object (its content hash, with the options)
 * nor the live object (its resourceVersion) changed since the last comparison: with live objects
 * from a {@code LiveStateCache}, a steady state costs no request at all.
 */
public final class Differ {

  private static final Logger log = LoggerFactory.getLogger(Differ.class);

  private final ClusterGateway cluster;
  private final LiveLookup live;
  private final ObjectJson json = new ObjectJson();
  private final DesiredObject desiredObject = new DesiredObject(json);
  private final ManagedView views = new ManagedView();
  private final Map<ObjectRef, Memo> memo = Collections.synchronizedMap(new BoundedMemo());
  private final LongAdder dryRuns = new LongAdder();

  /** The last comparison of one object, and what it was made from. */
  private record Memo(String desiredHash, String liveVersion, ResourceDiff result) {}

  /**
   * How many comparisons are remembered: several times a large fleet (1,000 applications × 20
   * objects), so steady state never misses, while objects that left every application cannot grow
   * it without bound.
   */
  static final int MEMO_LIMIT = 100_000;

  /** Least recently used entries go first once the limit is reached. */
  private static final class BoundedMemo extends LinkedHashMap<ObjectRef, Memo> {
    BoundedMemo() {
      super(1024, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<ObjectRef, Memo> eldest) {
      return size() > MEMO_LIMIT;
    }
  }

  /**
   * A differ over that cluster.
   *
   * @param live where live objects come from: a {@code LiveStateCache} in a controller, the gateway
   *     itself for a one-off comparison
   */
  public Differ(ClusterGateway cluster, LiveLookup live) {
    this.cluster = cluster;
    this.live = live;
  }

  /**
   * Compares every desired object, and reports as {@link ResourceDiff.Extra} each owned object that
   * still exists but Git no longer has.
   */
  public List<ResourceDiff> diff(
      List<GenericKubernetesResource> desired, Collection<ObjectRef> owned, DiffOptions options) {
    List<ResourceDiff> diffs = new ArrayList<>();
    Set<ObjectRef> wanted = new HashSet<>();
    for (GenericKubernetesResource object : desired) {
      ResourceDiff diff = diff(object, options);
      wanted.add(diff.object());
      diffs.add(diff);
    }
    for (ObjectRef ref : owned) {
      if (!wanted.contains(ref)) {
        memo.remove(ref); // no longer desired: its last comparison will not be asked for again
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
    ObjectRef written = ObjectRef.of(object);
    Optional<ApiResource> type;
    try {
      type = cluster.discovery().find(written.apiVersion(), written.kind());
    } catch (ClusterException e) {
      return new ResourceDiff.Unknown(written, unreadable("could not look its kind up", e));
    }
    if (type.isEmpty()) {
      return new ResourceDiff.Missing(written, maskedYaml(json.toMap(object)));
    }
    GenericKubernetesResource desired =
        desiredObject.prepare(
            object, type.get(), options.application(), options.destinationNamespace());
    ObjectRef ref = ObjectRef.of(desired);
    Optional<GenericKubernetesResource> current;
    try {
      current = live.live(ref);
    } catch (ClusterException e) {
      return new ResourceDiff.Unknown(ref, unreadable("could not read it", e));
    }
    if (current.isEmpty()) {
      memo.remove(ref);
      return new ResourceDiff.Missing(ref, maskedYaml(json.toMap(desired)));
    }
    String hash = hash(desired, options);
    String liveVersion = current.get().getMetadata().getResourceVersion();
    Memo last = memo.get(ref);
    if (last != null && last.desiredHash.equals(hash) && last.liveVersion.equals(liveVersion)) {
      return last.result;
    }
    ResourceDiff result = compare(ref, desired, current.get(), options);
    if (!(result instanceof ResourceDiff.Unknown)) {
      // A refused or unanswered dry-run is asked again next time: it may have been transient.
      memo.put(ref, new Memo(hash, liveVersion, result));
    }
    return result;
  }

  /** The number of dry-runs sent so far (what the memo saves is what this does not count). */
  public long dryRunCount() {
    return dryRuns.sum();
  }

  private ResourceDiff compare(
      ObjectRef ref,
      GenericKubernetesResource desired,
      GenericKubernetesResource current,
      DiffOptions options) {
    GenericKubernetesResource dryRun;
    try {
      dryRuns.increment();
      dryRun = cluster.apply(desired, ApplyCall.dryRun(options.fieldManager()));
    } catch (ClusterException e) {
      if (e.is(ClusterFailure.IMMUTABLE)) {
        return new ResourceDiff.OutOfSync(
            ref,
            "an immutable field changed; it syncs only with Replace=true: " + e.serverMessage());
      }
      return new ResourceDiff.Unknown(
          ref,
          e.failure().isTransient()
              ? unreadable("could not dry-run apply it", e)
              : "the server refused the dry-run ("
                  + e.failure().word()
                  + "): "
                  + e.serverMessage());
    }
    ManagedView.Views views =
        this.views.compare(
            ref,
            json.toMap(current),
            json.toMap(dryRun),
            options.fieldManager(),
            options.ignoreRules());
    if (views.equal()) {
      return new ResourceDiff.InSync(ref);
    }
    String diff =
        UnifiedDiff.of(json.toYaml(views.live()), json.toYaml(views.desired()), "live", "desired");
    log.info("application={} object={} out of sync", options.application(), ref);
    return new ResourceDiff.OutOfSync(ref, diff, views.fields());
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
