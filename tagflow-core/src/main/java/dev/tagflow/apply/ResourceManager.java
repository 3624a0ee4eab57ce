package dev.tagflow.apply;

import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.cluster.WaitResult;
import dev.tagflow.diff.DesiredObject;
import dev.tagflow.diff.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an application's objects with server-side apply and deletes them, each call answered by a
 * {@link ChangeSet}.
 *
 * <p>Each object is first dry-run applied; when the result equals the live object nothing is sent
 * (its resourceVersion stays). {@link #applyAllStaged} applies Namespaces and CRDs first and waits
 * until the CRDs are established, then the rest in {@link KindOrder}.
 *
 * <p>One object's failure, of whatever kind, is that object's {@link Action#FAILED} entry and never
 * stops the others. Before a stage sends anything, its objects are given to a {@link WriteAhead}
 * (the inventory), so nothing is applied that no inventory names.
 */
public final class ResourceManager {

  private static final Logger log = LoggerFactory.getLogger(ResourceManager.class);

  private final ClusterGateway cluster;
  private final LiveLookup live;
  private final ObjectJson json = new ObjectJson();
  private final Drift drift = new Drift(json);
  private final DesiredObject desiredObject = new DesiredObject(json);
  private final Recreation recreation;

  /**
   * A manager over that cluster.
   *
   * @param live where live objects are read from before applying: the gateway itself, or a {@code
   *     LiveStateCache} so that unchanged objects cost only the dry-run
   */
  public ResourceManager(ClusterGateway cluster, LiveLookup live) {
    this.cluster = cluster;
    this.live = live;
    this.recreation = new Recreation(cluster);
  }

  /** {@link #applyAllStaged(List, ApplyOptions, WriteAhead)} outside any inventory. */
  public ChangeSet applyAllStaged(List<GenericKubernetesResource> objects, ApplyOptions options) {
    return applyAllStaged(objects, options, WriteAhead.NONE);
  }

  /**
   * Namespaces and CRDs first (CRDs awaited until established), then everything else; each stage's
   * objects are recorded by {@code writeAhead} before any of them is sent (not in a dry-run).
   */
  public ChangeSet applyAllStaged(
      List<GenericKubernetesResource> objects, ApplyOptions options, WriteAhead writeAhead) {
    List<GenericKubernetesResource> definitions = new ArrayList<>();
    List<GenericKubernetesResource> rest = new ArrayList<>();
    for (GenericKubernetesResource object : objects) {
      (KindOrder.isClusterDefinition(ObjectRef.of(object)) ? definitions : rest).add(object);
    }
    ChangeSet changes = createNamespaceIfAsked(options);
    ChangeSet first = applyStage(definitions, options, List.of(), writeAhead);
    changes = changes.plus(first);
    if (!options.dryRun()) {
      changes = changes.plus(waitForCrds(first, options));
    }
    return changes.plus(applyStage(rest, options, definitions, writeAhead));
  }

  /** Applies the objects in kind order, each on its own: one failure does not stop the others. */
  public ChangeSet applyAll(List<GenericKubernetesResource> objects, ApplyOptions options) {
    return applyStage(objects, options, List.of(), WriteAhead.NONE);
  }

  /** Applies one object: created, configured, unchanged, skipped or failed. */
  public ChangeSetEntry apply(GenericKubernetesResource object, ApplyOptions options) {
    ObjectRef written = ObjectRef.of(object);
    return attempt(
        written,
        options,
        () ->
            switch (prepare(object, options, List.of())) {
              case Prepared.Settled settled -> settled.entry();
              case Prepared.Ready ready -> apply(ready, options);
            });
  }

  /**
   * An object made ready to send (namespace, tracking marks), or already settled without a call.
   */
  private sealed interface Prepared {
    record Ready(GenericKubernetesResource desired, ObjectRef ref) implements Prepared {}

    record Settled(ChangeSetEntry entry) implements Prepared {}
  }

  private ChangeSet applyStage(
      List<GenericKubernetesResource> objects,
      ApplyOptions options,
      List<GenericKubernetesResource> definedInThisRun,
      WriteAhead writeAhead) {
    List<GenericKubernetesResource> sorted = new ArrayList<>(objects);
    sorted.sort(Comparator.comparing(ObjectRef::of, KindOrder.OBJECTS));
    ChangeSetEntry[] entries = new ChangeSetEntry[sorted.size()];
    Prepared.Ready[] ready = new Prepared.Ready[sorted.size()];
    List<ObjectRef> toSend = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      GenericKubernetesResource object = sorted.get(i);
      int index = i;
      entries[i] =
          attempt(
              ObjectRef.of(object),
              options,
              () ->
                  switch (prepare(object, options, definedInThisRun)) {
                    case Prepared.Settled settled -> settled.entry();
                    case Prepared.Ready r -> {
                      ready[index] = r;
                      toSend.add(r.ref());
                      yield null;
                    }
                  });
    }
    if (!options.dryRun() && !toSend.isEmpty()) {
      try {
        writeAhead.record(toSend);
      } catch (ClusterException e) {
        for (int i = 0; i < sorted.size(); i++) {
          if (ready[i] != null) {
            entries[i] =
                failed(
                    ready[i].ref(),
                    options,
                    "not applied: the inventory could not record it first",
                    e);
          }
        }
        return new ChangeSet(Arrays.asList(entries));
      }
    }
    for (int i = 0; i < sorted.size(); i++) {
      Prepared.Ready r = ready[i];
      if (r != null) {
        entries[i] = attempt(r.ref(), options, () -> apply(r, options));
      }
    }
    return new ChangeSet(Arrays.asList(entries));
  }

  /**
   * Runs what one object needs; whatever goes wrong with it (a bug included) becomes its failed
   * entry, so the objects after it are still applied and the caller still writes its inventory.
   */
  private static ChangeSetEntry attempt(
      ObjectRef ref, ApplyOptions options, Supplier<ChangeSetEntry> work) {
    try {
      return work.get();
    } catch (ClusterException e) {
      return failed(ref, options, refusal(e, "could not apply it"), e);
    } catch (RuntimeException e) {
      log.error("application={} object={} failed unexpectedly", options.application(), ref, e);
      return new ChangeSetEntry(ref, Action.FAILED, "unexpected error: " + e);
    }
  }

  private Prepared prepare(
      GenericKubernetesResource object,
      ApplyOptions options,
      List<GenericKubernetesResource> definedInThisRun) {
    ObjectRef written = ObjectRef.of(object);
    Optional<ApiResource> type = cluster.discovery().find(written.apiVersion(), written.kind());
    if (type.isEmpty()) {
      if (options.dryRun() && definesKind(definedInThisRun, written)) {
        return new Prepared.Settled(
            new ChangeSetEntry(
                written,
                Action.SKIPPED,
                "its CRD is created by this sync; a dry-run cannot check it"));
      }
      return new Prepared.Settled(
          failed(
              written,
              options,
              "the cluster does not serve "
                  + written.kind()
                  + " in "
                  + written.apiVersion()
                  + "; check the apiVersion or apply its CustomResourceDefinition first",
              Optional.of(ClusterFailure.GONE_KIND)));
    }
    GenericKubernetesResource desired =
        desiredObject.prepare(
            object, type.get(), options.application(), options.destinationNamespace());
    return new Prepared.Ready(desired, ObjectRef.of(desired));
  }

  private ChangeSetEntry apply(Prepared.Ready ready, ApplyOptions options) {
    GenericKubernetesResource desired = ready.desired();
    ObjectRef ref = ready.ref();
    Optional<GenericKubernetesResource> existing;
    try {
      existing = live.live(ref);
    } catch (ClusterException e) {
      return failed(ref, options, "could not read it", e);
    }
    if (existing.isPresent()) {
      Optional<String> owner = Tracking.trackedBy(existing.get());
      if (owner.isPresent() && !owner.get().equals(options.application()) && !options.takeOver()) {
        return failed(
            ref,
            options,
            "it belongs to application '"
                + owner.get()
                + "' (annotation "
                + Tracking.TRACKING_ID
                + "); remove it from one of the two applications, or sync with take-over to"
                + " move it",
            Optional.empty());
      }
    }
    GenericKubernetesResource dryRun;
    try {
      dryRun = cluster.apply(desired, ApplyCall.dryRun(options.fieldManager()));
    } catch (ClusterException e) {
      return onDryRunError(desired, ref, existing, options, e);
    }
    if (existing.isPresent()) {
      GenericKubernetesResource before;
      try {
        before = sameVersionAs(dryRun, existing.get());
      } catch (ClusterException e) {
        return failed(ref, options, "could not read it again", e);
      }
      if (!drift.between(before, dryRun, options.fieldManager())) {
        return new ChangeSetEntry(ref, Action.UNCHANGED, "");
      }
    }
    Action action = existing.isPresent() ? Action.CONFIGURED : Action.CREATED;
    if (options.dryRun()) {
      return new ChangeSetEntry(ref, action, "dry-run");
    }
    return send(desired, ref, action, options);
  }

  /**
   * The live object at the version the dry-run was computed on: a controller may have written the
   * object (an annotation, a status) between our read and the dry-run, or the cache may lag; then
   * it is read again, so that someone else's change is not taken for drift.
   */
  private GenericKubernetesResource sameVersionAs(
      GenericKubernetesResource dryRun, GenericKubernetesResource read) {
    String seen = read.getMetadata().getResourceVersion();
    if (seen != null && seen.equals(dryRun.getMetadata().getResourceVersion())) {
      return read;
    }
    return cluster.get(ObjectRef.of(read)).orElse(read);
  }

  private ChangeSetEntry onDryRunError(
      GenericKubernetesResource desired,
      ObjectRef ref,
      Optional<GenericKubernetesResource> existing,
      ApplyOptions options,
      ClusterException e) {
    if (e.is(ClusterFailure.IMMUTABLE)) {
      if (!options.force()) {
        return failed(
            ref,
            options,
            "an immutable field changed: "
                + e.serverMessage()
                + "; sync with Replace=true (force) to delete and recreate it",
            Optional.of(ClusterFailure.IMMUTABLE));
      }
      if (options.dryRun()) {
        return new ChangeSetEntry(
            ref, Action.CONFIGURED, "dry-run; would be recreated: an immutable field changed");
      }
      return recreation.recreate(desired, ref, options, e.serverMessage());
    }
    if (options.dryRun() && e.is(ClusterFailure.NOT_FOUND) && existing.isEmpty()) {
      return new ChangeSetEntry(ref, Action.CREATED, "dry-run; its namespace does not exist yet");
    }
    return failed(ref, options, refusal(e, "could not dry-run apply it"), e);
  }

  private ChangeSetEntry send(
      GenericKubernetesResource desired, ObjectRef ref, Action action, ApplyOptions options) {
    try {
      cluster.apply(desired, ApplyCall.forced(options.fieldManager()));
    } catch (ClusterException e) {
      return failed(ref, options, refusal(e, "could not apply it"), e);
    }
    log.info("application={} object={} action={}", options.application(), ref, action.word());
    return new ChangeSetEntry(ref, action, "");
  }

  /**
   * Deletes the objects (background propagation) in reverse kind order, each on its own.
   *
   * @return deleted entries, or failed ones (the caller keeps those to retry)
   */
  public ChangeSet delete(List<ObjectRef> objects, String application, boolean dryRun) {
    List<ObjectRef> sorted = new ArrayList<>(objects);
    sorted.sort(KindOrder.OBJECTS.reversed());
    List<ChangeSetEntry> entries = new ArrayList<>();
    for (ObjectRef ref : sorted) {
      if (dryRun) {
        entries.add(new ChangeSetEntry(ref, Action.DELETED, "dry-run"));
        continue;
      }
      entries.add(deleteOne(ref, application));
    }
    return new ChangeSet(entries);
  }

  private ChangeSetEntry deleteOne(ObjectRef ref, String application) {
    boolean existed;
    try {
      existed = cluster.delete(ref);
    } catch (ClusterException e) {
      log.warn("application={} object={} delete failed: {}", application, ref, e.getMessage());
      return ChangeSetEntry.failed(ref, "could not delete it", e);
    }
    log.info("application={} object={} action=deleted", application, ref);
    return new ChangeSetEntry(ref, Action.DELETED, existed ? "" : "already gone");
  }

  private ChangeSet createNamespaceIfAsked(ApplyOptions options) {
    if (!options.createNamespace() || options.destinationNamespace().isEmpty()) {
      return ChangeSet.empty();
    }
    ObjectRef ref = new ObjectRef("v1", "Namespace", "", options.destinationNamespace());
    try {
      if (live.live(ref).isPresent()) {
        return ChangeSet.empty();
      }
    } catch (ClusterException e) {
      return ChangeSet.empty().plus(failed(ref, options, "could not read it", e));
    }
    if (options.dryRun()) {
      return ChangeSet.empty().plus(new ChangeSetEntry(ref, Action.CREATED, "dry-run"));
    }
    GenericKubernetesResource namespace = new GenericKubernetesResource();
    namespace.setApiVersion("v1");
    namespace.setKind("Namespace");
    namespace.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(options.destinationNamespace())
            .withLabels(Map.of(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY))
            .build());
    try {
      cluster.apply(namespace, ApplyCall.forced(options.fieldManager()));
    } catch (ClusterException e) {
      return ChangeSet.empty().plus(failed(ref, options, "could not create it", e));
    }
    log.info(
        "application={} object={} action=created (CreateNamespace)", options.application(), ref);
    return ChangeSet.empty().plus(new ChangeSetEntry(ref, Action.CREATED, "CreateNamespace"));
  }

  private ChangeSet waitForCrds(ChangeSet applied, ApplyOptions options) {
    List<ChangeSetEntry> failures = new ArrayList<>();
    for (ObjectRef crd : applied.applied()) {
      if (!crd.kind().equals("CustomResourceDefinition")) {
        continue;
      }
      try {
        WaitResult established =
            cluster.waitUntil(crd, Recreation::isEstablished, options.waitTimeout());
        if (!established.reached()) {
          failures.add(
              failed(
                  crd,
                  options,
                  "not established after " + options.waitTimeout().toSeconds() + " s",
                  Optional.empty()));
        }
        cluster
            .live(crd)
            .map(c -> (String) c.get("spec", "group"))
            .ifPresent(group -> cluster.discovery().invalidate(group));
      } catch (ClusterException e) {
        failures.add(failed(crd, options, "could not wait for it to be established", e));
      }
    }
    return new ChangeSet(failures);
  }

  private static boolean definesKind(List<GenericKubernetesResource> crds, ObjectRef ref) {
    return crds.stream()
        .filter(c -> c.getKind().equals("CustomResourceDefinition"))
        .anyMatch(
            c ->
                ref.group().equals(c.get("spec", "group"))
                    && ref.kind().equals(c.get("spec", "names", "kind")));
  }

  /** "could not …" when the server did not answer; "the server refused it" when it said no. */
  private static String refusal(ClusterException e, String unanswered) {
    return e.failure().isTransient() ? unanswered : "the server refused it";
  }

  private static ChangeSetEntry failed(
      ObjectRef ref, ApplyOptions options, String what, ClusterException e) {
    ChangeSetEntry entry = ChangeSetEntry.failed(ref, what, e);
    log.warn("application={} object={} action=failed: {}", options.application(), ref, entry);
    return entry;
  }

  private static ChangeSetEntry failed(
      ObjectRef ref, ApplyOptions options, String message, Optional<ClusterFailure> failure) {
    log.warn("application={} object={} action=failed: {}", options.application(), ref, message);
    return new ChangeSetEntry(ref, Action.FAILED, message, failure);
  }
}
