package dev.tagflow.apply;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.DesiredObject;
import dev.tagflow.diff.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an application's objects with server-side apply and deletes them, each call answered by a
 * {@link ChangeSet}.
 *
 * <p>Each object is first dry-run applied; when the result equals the live object nothing is sent
 * (its resourceVersion stays). {@link #applyAllStaged} applies Namespaces and CRDs first and waits
 * until the CRDs are established, then the rest in {@link KindOrder}.
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

  /** Namespaces and CRDs first (CRDs awaited until established), then everything else. */
  public ChangeSet applyAllStaged(List<GenericKubernetesResource> objects, ApplyOptions options) {
    List<GenericKubernetesResource> definitions = new ArrayList<>();
    List<GenericKubernetesResource> rest = new ArrayList<>();
    for (GenericKubernetesResource object : objects) {
      (KindOrder.isClusterDefinition(ObjectRef.of(object)) ? definitions : rest).add(object);
    }
    ChangeSet changes = createNamespaceIfAsked(options);
    ChangeSet first = applyAll(definitions, options);
    changes = changes.plus(first);
    if (!options.dryRun()) {
      changes = changes.plus(waitForCrds(first, options));
    }
    return changes.plus(applyAll(rest, options, definitions));
  }

  /** Applies the objects in kind order, each on its own: one failure does not stop the others. */
  public ChangeSet applyAll(List<GenericKubernetesResource> objects, ApplyOptions options) {
    return applyAll(objects, options, List.of());
  }

  private ChangeSet applyAll(
      List<GenericKubernetesResource> objects,
      ApplyOptions options,
      List<GenericKubernetesResource> definedInThisRun) {
    List<GenericKubernetesResource> sorted = new ArrayList<>(objects);
    sorted.sort(Comparator.comparing(ObjectRef::of, KindOrder.OBJECTS));
    List<ChangeSetEntry> entries = new ArrayList<>();
    for (GenericKubernetesResource object : sorted) {
      entries.add(apply(object, options, definedInThisRun));
    }
    return new ChangeSet(entries);
  }

  /** Applies one object: created, configured, unchanged, skipped or failed. */
  public ChangeSetEntry apply(GenericKubernetesResource object, ApplyOptions options) {
    return apply(object, options, List.of());
  }

  private ChangeSetEntry apply(
      GenericKubernetesResource object,
      ApplyOptions options,
      List<GenericKubernetesResource> definedInThisRun) {
    ObjectRef written = ObjectRef.of(object);
    Optional<ApiResource> type = cluster.discovery().find(written.apiVersion(), written.kind());
    if (type.isEmpty()) {
      if (options.dryRun() && definesKind(definedInThisRun, written)) {
        return new ChangeSetEntry(
            written, Action.SKIPPED, "its CRD is created by this sync; a dry-run cannot check it");
      }
      return failed(
          written,
          options,
          "the cluster does not serve "
              + written.kind()
              + " in "
              + written.apiVersion()
              + "; check the apiVersion or apply its CustomResourceDefinition first");
    }
    GenericKubernetesResource desired =
        desiredObject.prepare(
            object, type.get(), options.application(), options.destinationNamespace());
    ObjectRef ref = ObjectRef.of(desired);
    Optional<GenericKubernetesResource> existing = live.live(ref);
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
                + " move it");
      }
    }
    GenericKubernetesResource dryRun;
    try {
      dryRun = cluster.apply(desired, ApplyCall.dryRun(options.fieldManager()));
    } catch (KubernetesClientException e) {
      return onDryRunError(desired, ref, existing, options, e);
    }
    if (existing.isPresent()
        && !drift.between(sameVersionAs(dryRun, existing.get()), dryRun, options.fieldManager())) {
      return new ChangeSetEntry(ref, Action.UNCHANGED, "");
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
      KubernetesClientException e) {
    if (Recreation.isImmutableFieldError(e)) {
      if (!options.force()) {
        return failed(
            ref,
            options,
            "an immutable field changed: "
                + reason(e)
                + "; sync with Replace=true (force) to delete and recreate it");
      }
      if (options.dryRun()) {
        return new ChangeSetEntry(
            ref, Action.CONFIGURED, "dry-run; would be recreated: an immutable field changed");
      }
      return recreation.recreate(desired, ref, options, reason(e));
    }
    if (options.dryRun() && e.getCode() == 404 && existing.isEmpty()) {
      return new ChangeSetEntry(ref, Action.CREATED, "dry-run; its namespace does not exist yet");
    }
    return failed(ref, options, "the server refused it: " + reason(e));
  }

  private ChangeSetEntry send(
      GenericKubernetesResource desired, ObjectRef ref, Action action, ApplyOptions options) {
    try {
      cluster.apply(desired, ApplyCall.forced(options.fieldManager()));
    } catch (KubernetesClientException e) {
      return failed(ref, options, "the server refused it: " + reason(e));
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
      try {
        boolean existed = cluster.delete(ref);
        log.info("application={} object={} action=deleted", application, ref);
        entries.add(new ChangeSetEntry(ref, Action.DELETED, existed ? "" : "already gone"));
      } catch (TagflowException e) {
        log.warn("application={} object={} delete failed: {}", application, ref, e.getMessage());
        entries.add(new ChangeSetEntry(ref, Action.FAILED, e.getMessage()));
      }
    }
    return new ChangeSet(entries);
  }

  private ChangeSet createNamespaceIfAsked(ApplyOptions options) {
    if (!options.createNamespace() || options.destinationNamespace().isEmpty()) {
      return ChangeSet.empty();
    }
    ObjectRef ref = new ObjectRef("v1", "Namespace", "", options.destinationNamespace());
    if (live.live(ref).isPresent()) {
      return ChangeSet.empty();
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
    } catch (KubernetesClientException e) {
      return ChangeSet.empty().plus(failed(ref, options, "could not create it: " + reason(e)));
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
      boolean established =
          cluster.waitUntil(crd, Recreation::isEstablished, options.waitTimeout()).isPresent();
      if (!established) {
        failures.add(
            failed(
                crd, options, "not established after " + options.waitTimeout().toSeconds() + " s"));
      }
      cluster
          .live(crd)
          .map(c -> (String) c.get("spec", "group"))
          .ifPresent(group -> cluster.discovery().invalidate(group));
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

  private static ChangeSetEntry failed(ObjectRef ref, ApplyOptions options, String message) {
    log.warn("application={} object={} action=failed: {}", options.application(), ref, message);
    return new ChangeSetEntry(ref, Action.FAILED, message);
  }

  static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }
}
