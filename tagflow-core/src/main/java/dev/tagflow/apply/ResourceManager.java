package dev.tagflow.apply;

import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.cluster.ObjectVersion;
import dev.tagflow.diff.Comparison;
import dev.tagflow.diff.Differ;
import dev.tagflow.diff.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an application's objects with server-side apply and deletes them, each call answered by a
 * {@link ChangeSet}.
 *
 * <p>The objects of one call (a wave) are validated whole before any of them changes, as Argo CD
 * and Flux do: each is dry-run through the {@link Differ} — the diff's own dry-run and its one
 * judge of "in sync", so an object the diff just compared is not dry-run again — and when any is
 * refused (invalid, forbidden, an immutable field without Replace, another application's, or not
 * answered), nothing of the wave is sent and every refusal is reported at once. A changed object
 * then costs one dry-run and one apply, an unchanged one nothing beyond its comparison (none when
 * the differ remembers it).
 *
 * <p>Staged as Flux stages it: the first stage ({@link FirstStage}: Namespaces, CRDs, cluster
 * roles, class kinds) is applied and each of its objects awaited before the rest; an object whose
 * namespace or kind that stage creates can only be dry-run then, and is. An immutable-field change
 * with Replace is delete, wait until gone, apply ({@link Recreation}).
 *
 * <p>Once a wave is valid, the objects about to be sent are given to a {@link WriteAhead} (the
 * inventory) before any is sent, so nothing is applied that no inventory names; then one object's
 * failure to apply, of whatever kind, is that object's {@link Action#FAILED} entry and never stops
 * the others.
 *
 * <p>The objects of one kind are sent at once, at most as many at a time as the differ sends
 * dry-runs ({@link Differ#parallelism()}), kind after kind ({@link KindBatches}, as Argo CD applies
 * a wave): the kind order holds between kinds, and a wave of ten ConfigMaps costs a few round trips
 * instead of ten. Every object's entry is in the result, in kind order, whatever the others came
 * to.
 */
public final class ResourceManager {

  private static final Logger log = LoggerFactory.getLogger(ResourceManager.class);

  private final ClusterGateway cluster;
  private final LiveLookup live;
  private final Differ differ;
  private final Validation validation = new Validation();
  private final FirstStage firstStage;
  private final Recreation recreation;
  private final KindBatches batches;

  /**
   * A manager over that cluster, with a differ of its own.
   *
   * @param live where live objects are read from: the gateway itself, or a {@code LiveStateCache}
   *     so that unchanged objects cost no request
   */
  public ResourceManager(ClusterGateway cluster, LiveLookup live) {
    this(cluster, live, new Differ(cluster, live));
  }

  /**
   * A manager that validates with {@code differ}: a sync gives the one its diff used, whose memory
   * of comparisons spares the dry-runs of objects that did not change on either side.
   */
  public ResourceManager(ClusterGateway cluster, LiveLookup live, Differ differ) {
    this.cluster = cluster;
    this.live = live;
    this.differ = differ;
    this.firstStage = new FirstStage(cluster);
    this.recreation = new Recreation(cluster);
    this.batches = new KindBatches(differ.parallelism());
  }

  /** {@link #applyAllStaged(List, ApplyOptions, WriteAhead)} outside any inventory. */
  public ChangeSet applyAllStaged(List<GenericKubernetesResource> objects, ApplyOptions options) {
    return applyAllStaged(objects, options, WriteAhead.NONE);
  }

  /**
   * Validates the objects as one wave, then (if none is refused, and not in a dry-run) records
   * those it sends with {@code writeAhead}, applies the first stage, awaits it, and applies the
   * rest, each stage in kind order.
   *
   * @return an entry per object (the destination namespace's first, when CreateNamespace created
   *     it), and a failed entry more for each first-stage object that did not become ready
   */
  public ChangeSet applyAllStaged(
      List<GenericKubernetesResource> objects, ApplyOptions options, WriteAhead writeAhead) {
    List<GenericKubernetesResource> sorted = new ArrayList<>(objects);
    sorted.sort(Comparator.comparing(ObjectRef::of, KindOrder.OBJECTS));
    Validation.Wave wave = Validation.Wave.of(sorted, options);
    Map<String, Boolean> namespaces = namespacesExist(wave);
    List<Verdict> verdicts = judge(sorted, wave, absent(namespaces), options);
    if (verdicts.stream().anyMatch(v -> v instanceof Verdict.Refused)) {
      return VerdictEntries.refused(verdicts, "this wave", options);
    }
    if (options.dryRun()) {
      return createNamespaceIfAsked(options, namespaces)
          .plus(new ChangeSet(VerdictEntries.dryRun(verdicts)));
    }
    List<ObjectRef> toSend =
        verdicts.stream()
            .filter(v -> !(v instanceof Verdict.Unchanged))
            .map(Verdict::object)
            .toList();
    if (!toSend.isEmpty()) {
      try {
        writeAhead.record(toSend);
      } catch (ClusterException e) {
        return new ChangeSet(
            verdicts.stream()
                .map(
                    v ->
                        v instanceof Verdict.Unchanged
                            ? unchanged(v.object())
                            : failed(
                                v.object(),
                                options,
                                "not applied: the inventory could not record it first",
                                e))
                .toList());
      }
    }
    ChangeSet changes = createNamespaceIfAsked(options, namespaces);
    List<Verdict> firstVerdicts = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < verdicts.size(); i++) {
      Verdict verdict = verdicts.get(i);
      if (!FirstStage.holds(verdict.object()) || verdict instanceof Verdict.Deferred) {
        rest.add(i);
      } else {
        firstVerdicts.add(verdict);
      }
    }
    // Each first-stage object is applied and awaited in one task: a CRD's wait for Established
    // does not hold up the Namespace beside it, and all are ready before the rest is sent.
    List<ReadyOrNot> first =
        batches.run(firstVerdicts, Verdict::object, v -> applyAndAwait(v, options));
    changes = changes.plus(new ChangeSet(first.stream().map(ReadyOrNot::entry).toList()));
    changes =
        changes.plus(new ChangeSet(first.stream().flatMap(r -> r.notReady().stream()).toList()));
    return changes.plus(applyRest(rest, sorted, verdicts, options));
  }

  /** A first-stage object's entry, and a failed entry more when it did not become ready. */
  private record ReadyOrNot(ChangeSetEntry entry, Optional<ChangeSetEntry> notReady) {}

  private ReadyOrNot applyAndAwait(Verdict verdict, ApplyOptions options) {
    Applied applied = act(verdict, options);
    return new ReadyOrNot(
        applied.entry(),
        applied.stored().flatMap(stored -> awaitReady(verdict.object(), stored, options)));
  }

  /** {@link FirstStage#await}, whose failure to wait (a bug included) is the object's entry. */
  private Optional<ChangeSetEntry> awaitReady(
      ObjectRef ref, GenericKubernetesResource stored, ApplyOptions options) {
    try {
      return firstStage.await(ref, stored, options);
    } catch (RuntimeException e) {
      log.error("application={} object={} failed unexpectedly", options.application(), ref, e);
      return Optional.of(
          new ChangeSetEntry(ref, Action.FAILED, "applied, but unexpected error: " + e));
    }
  }

  /**
   * Applies one object as a wave of its own (no namespace created for it): created, configured,
   * unchanged, skipped or failed.
   */
  public ChangeSetEntry apply(GenericKubernetesResource object, ApplyOptions options) {
    List<ChangeSetEntry> entries =
        applyAllStaged(List.of(object), options.withCreateNamespace(false)).entries();
    // A first-stage object that did not become ready has a failed entry after its own: that one.
    return entries.get(entries.size() - 1);
  }

  /**
   * The rest of the wave, after the first stage: objects deferred until then are dry-run now, and
   * if any of them is refused none of the rest is sent.
   */
  private ChangeSet applyRest(
      List<Integer> rest,
      List<GenericKubernetesResource> sorted,
      List<Verdict> verdicts,
      ApplyOptions options) {
    List<Integer> deferred =
        rest.stream().filter(i -> verdicts.get(i) instanceof Verdict.Deferred).toList();
    List<Verdict> current = new ArrayList<>(verdicts);
    if (!deferred.isEmpty()) {
      List<GenericKubernetesResource> originals = deferred.stream().map(sorted::get).toList();
      List<Verdict> checked = judge(originals, Validation.Wave.NOTHING_MORE, Set.of(), options);
      for (int k = 0; k < deferred.size(); k++) {
        current.set(deferred.get(k), checked.get(k));
      }
    }
    List<Verdict> stage = rest.stream().map(current::get).toList();
    if (stage.stream().anyMatch(v -> v instanceof Verdict.Refused)) {
      return VerdictEntries.refused(
          stage, "the rest of this wave (after its namespaces and definitions)", options);
    }
    return new ChangeSet(
        batches.run(stage, Verdict::object, verdict -> act(verdict, options).entry()));
  }

  /**
   * Judges each object from its comparison. An object in a namespace the wave creates and the
   * cluster does not have yet is deferred without comparing it: its dry-run could only be refused
   * for the missing namespace, and is sent once the namespace exists.
   */
  private List<Verdict> judge(
      List<GenericKubernetesResource> objects,
      Validation.Wave wave,
      Set<String> absent,
      ApplyOptions options) {
    Verdict[] verdicts = new Verdict[objects.size()];
    List<Integer> compared = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      Optional<ObjectRef> waiting = inOneOf(objects.get(i), absent, options);
      if (waiting.isPresent()) {
        verdicts[i] =
            new Verdict.Deferred(
                waiting.get(),
                objects.get(i),
                new ChangeSetEntry(
                    waiting.get(), Action.CREATED, "dry-run; its namespace does not exist yet"));
      } else {
        compared.add(i);
      }
    }
    List<Comparison> comparisons =
        differ.compareAll(compared.stream().map(objects::get).toList(), options.diffOptions());
    for (int k = 0; k < compared.size(); k++) {
      int i = compared.get(k);
      verdicts[i] = validation.judge(objects.get(i), comparisons.get(k), options, wave);
    }
    return List.of(verdicts);
  }

  /**
   * Whether each namespace the wave creates exists (one read each, none with a live cache); a
   * namespace that could not be read is left out, so its objects are compared as usual and their
   * comparison reports it.
   */
  private Map<String, Boolean> namespacesExist(Validation.Wave wave) {
    Map<String, Boolean> exist = new HashMap<>();
    for (String namespace : wave.namespaces()) {
      try {
        exist.put(namespace, live.live(namespaceRef(namespace)).isPresent());
      } catch (ClusterException e) {
        // Not known: see above.
      }
    }
    return exist;
  }

  private static Set<String> absent(Map<String, Boolean> namespaces) {
    Set<String> absent = new HashSet<>();
    namespaces.forEach(
        (namespace, exists) -> {
          if (!exists) {
            absent.add(namespace);
          }
        });
    return absent;
  }

  private static ObjectRef namespaceRef(String name) {
    return new ObjectRef("v1", "Namespace", "", name);
  }

  /** The object's reference when it lives in one of those namespaces. */
  private Optional<ObjectRef> inOneOf(
      GenericKubernetesResource object, Set<String> namespaces, ApplyOptions options) {
    if (namespaces.isEmpty()) {
      return Optional.empty();
    }
    ObjectRef written = ObjectRef.of(object);
    Optional<ApiResource> type;
    try {
      type = cluster.discovery().find(written.apiVersion(), written.kind());
    } catch (ClusterException e) {
      return Optional.empty(); // compared as usual, and its comparison reports this
    }
    if (type.isEmpty() || !type.get().namespaced()) {
      return Optional.empty();
    }
    ObjectRef ref =
        written.isNamespaced() ? written : written.inNamespace(options.destinationNamespace());
    return namespaces.contains(ref.namespace()) ? Optional.of(ref) : Optional.empty();
  }

  /** What acting on one verdict did, and what the server stored when it applied the object. */
  private record Applied(ChangeSetEntry entry, Optional<GenericKubernetesResource> stored) {}

  /**
   * Acts on one verdict; whatever goes wrong with it (a bug included) becomes its failed entry, so
   * the objects after it are still applied and the caller still writes its inventory.
   */
  private Applied act(Verdict verdict, ApplyOptions options) {
    return attempt(
        verdict.object(),
        options,
        () ->
            switch (verdict) {
              case Verdict.Unchanged unchanged ->
                  new Applied(unchanged(unchanged.object()), Optional.empty());
              case Verdict.Send send -> send(send, options);
              case Verdict.Replace replace ->
                  new Applied(recreation.recreate(replace, options), Optional.empty());
              case Verdict.Refused refused -> new Applied(refused.entry(), Optional.empty());
              case Verdict.Deferred deferred ->
                  throw new IllegalStateException("not checked yet: " + deferred.object());
            });
  }

  private Applied send(Verdict.Send send, ApplyOptions options) {
    GenericKubernetesResource stored;
    try {
      stored = cluster.apply(send.desired(), ApplyCall.forced(options.fieldManager()));
    } catch (ClusterException e) {
      return new Applied(
          failed(send.object(), options, refusal(e, "could not apply it"), e), Optional.empty());
    }
    differ.remember(send.desired(), stored, options.diffOptions());
    log.info(
        "application={} object={} action={}",
        options.application(),
        send.object(),
        send.action().word());
    ChangeSetEntry entry = new ChangeSetEntry(send.object(), send.action(), "");
    return new Applied(
        ObjectVersion.of(stored).map(entry::withWritten).orElse(entry), Optional.of(stored));
  }

  private static Applied attempt(ObjectRef ref, ApplyOptions options, Supplier<Applied> work) {
    try {
      return work.get();
    } catch (ClusterException e) {
      return new Applied(
          failed(ref, options, refusal(e, "could not apply it"), e), Optional.empty());
    } catch (RuntimeException e) {
      log.error("application={} object={} failed unexpectedly", options.application(), ref, e);
      return new Applied(
          new ChangeSetEntry(ref, Action.FAILED, "unexpected error: " + e), Optional.empty());
    }
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

  /**
   * Creates the destination namespace with CreateNamespace, when it is missing.
   *
   * @param known whether namespaces exist, as read while validating: not read again
   */
  private ChangeSet createNamespaceIfAsked(ApplyOptions options, Map<String, Boolean> known) {
    if (!options.createNamespace() || options.destinationNamespace().isEmpty()) {
      return ChangeSet.empty();
    }
    ObjectRef ref = namespaceRef(options.destinationNamespace());
    try {
      boolean exists =
          known.containsKey(ref.name()) ? known.get(ref.name()) : live.live(ref).isPresent();
      if (exists) {
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
        new ObjectMetaBuilder()
            .withName(options.destinationNamespace())
            .withLabels(Map.of(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY))
            .build());
    GenericKubernetesResource stored;
    try {
      stored = cluster.apply(namespace, ApplyCall.forced(options.fieldManager()));
    } catch (ClusterException e) {
      return ChangeSet.empty().plus(failed(ref, options, "could not create it", e));
    }
    log.info(
        "application={} object={} action=created (CreateNamespace)", options.application(), ref);
    ChangeSet created =
        ChangeSet.empty().plus(new ChangeSetEntry(ref, Action.CREATED, "CreateNamespace"));
    return firstStage.await(ref, stored, options).map(created::plus).orElse(created);
  }

  private static ChangeSetEntry unchanged(ObjectRef ref) {
    return new ChangeSetEntry(ref, Action.UNCHANGED, "");
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
}
