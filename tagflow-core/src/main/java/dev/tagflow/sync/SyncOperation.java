package dev.tagflow.sync;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ApplyOptions;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.DiffOptions;
import dev.tagflow.diff.Differ;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.inventory.Inventory;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.inventory.PrunePlan;
import dev.tagflow.inventory.PrunePlanner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of one application, as a resumable step function: each {@link #step()} rebuilds the
 * plan, applies the current step once (its objects, hooks and prunes), then reports what the step
 * waits for until its objects are healthy and its hooks done, and moves on. The returned {@link
 * SyncState} can be saved, and a new operation built from it resumes where it stopped.
 *
 * <p>The prune decision, the circuit breaker included, is made once at the start: when the sync
 * would delete more than the allowed share, it ends {@link SyncStatus#NEEDS_CONFIRMATION} before
 * anything changed.
 */
public final class SyncOperation {

  private static final Logger log = LoggerFactory.getLogger(SyncOperation.class);

  private final ClusterGateway cluster;
  private final LiveLookup live;
  private final InventoryStore inventories;
  private final HealthRegistry health;
  private final Differ differ;
  private final SyncRequest request;
  private final Clock clock;
  private final ResourceManager manager;
  private final HookRunner hooks;
  private final PrunePlanner prunes;
  private SyncState state;

  /** An operation that starts from {@code state} ({@link SyncState#start} for a new sync). */
  public SyncOperation(SyncEngine engine, SyncRequest request, SyncState state) {
    this.cluster = engine.cluster();
    this.live = engine.live();
    this.inventories = engine.inventories();
    this.health = engine.health();
    this.differ = engine.differ();
    this.clock = engine.clock();
    this.request = request;
    this.state = state;
    this.manager = new ResourceManager(cluster, live);
    this.hooks = new HookRunner(cluster, manager);
    this.prunes = new PrunePlanner(live);
  }

  /** The state after the last step. */
  public SyncState state() {
    return state;
  }

  /** The plan as it stands now (for display; {@link #step()} rebuilds it each time). */
  public SyncPlan plan() {
    return planner()
        .plan(request.desired(), state.prune().orElse(List.of()), options().pruneLast());
  }

  /** Runs steps until the sync ends, waiting {@code poll} between steps that wait for health. */
  public SyncState run(Duration poll) throws InterruptedException {
    while (!step().status().isFinal()) {
      if (!state.message().isEmpty()) {
        Thread.sleep(poll.toMillis());
      }
    }
    return state;
  }

  /** Advances the sync by at most one step, and says where it stands. */
  public SyncState step() {
    if (state.status().isFinal()) {
      return state;
    }
    Inventory old = inventories.load(request.application());
    if (state.prune().isEmpty()) {
      state = decidePrune(old);
      if (state.status().isFinal()) {
        return state;
      }
    }
    SyncPlan plan = plan();
    if (state.step() >= plan.steps().size()) {
      return state = finish(old);
    }
    SyncStep step = plan.steps().get(state.step());
    if (!state.stepApplied()) {
      ChangeSet changes = apply(step, old);
      if (changes.hasFailures()) {
        return state = fail(plan, changes, step.label() + " failed: " + firstFailure(changes));
      }
      state = state.applied(changes, clock.instant());
      if (options().dryRun()) {
        return state = state.next(ChangeSet.empty());
      }
    }
    return state = await(plan, step);
  }

  private SyncState decidePrune(Inventory old) {
    PrunePlan decision = prunes.plan(old, desiredRefs(), options().pruneOptions());
    return switch (decision) {
      case PrunePlan.NeedsConfirmation stop -> {
        log.warn(
            "application={} revision={} prune stopped by the circuit breaker: {}",
            request.application(),
            request.revision(),
            stop.message());
        yield state.ended(SyncStatus.NEEDS_CONFIRMATION, ChangeSet.empty(), stop.message());
      }
      case PrunePlan.Ready ready -> {
        List<PruneTarget> targets = new ArrayList<>();
        for (ObjectRef ref : ready.delete()) {
          int wave = live.live(ref).map(SyncAnnotations::wave).orElse(0);
          targets.add(new PruneTarget(ref, wave));
        }
        yield state.planned(targets, new ChangeSet(ready.kept()));
      }
    };
  }

  private ChangeSet apply(SyncStep step, Inventory old) {
    ApplyOptions applyOptions = applyOptions();
    List<GenericKubernetesResource> objects = new ArrayList<>();
    List<ObjectRef> pruned = new ArrayList<>();
    ChangeSet changes = ChangeSet.empty();
    for (SyncTask task : step.tasks()) {
      if (task.isPrune()) {
        pruned.add(task.object());
      } else if (!task.isHook()) {
        objects.add(task.desired().orElseThrow());
      }
    }
    List<GenericKubernetesResource> drifted = new ArrayList<>();
    for (GenericKubernetesResource object : objects) {
      ResourceDiff diff = differ.diff(object, diffOptions());
      if (diff instanceof ResourceDiff.InSync) {
        changes = changes.plus(new ChangeSetEntry(diff.object(), Action.UNCHANGED, ""));
      } else {
        drifted.add(object);
      }
    }
    if (!drifted.isEmpty() || (state.step() == 0 && options().createNamespace())) {
      changes = changes.plus(manager.applyAllStaged(drifted, applyOptions));
    }
    for (SyncTask task : step.tasks()) {
      if (task.isHook()) {
        changes = changes.plus(hooks.start(task, applyOptions));
      }
    }
    changes = changes.plus(manager.delete(pruned, request.application(), options().dryRun()));
    if (!options().dryRun()) {
      List<ObjectRef> applied =
          changes.applied().stream().filter(r -> !isHook(step, r) && !isNamespaceOnly(r)).toList();
      Inventory updated = old.with(applied);
      if (!updated.equals(old)) {
        inventories.save(updated);
      }
    }
    log.info(
        "application={} revision={} {} applied: {}",
        request.application(),
        request.revision(),
        step.label(),
        changes.summary());
    return changes;
  }

  private SyncState await(SyncPlan plan, SyncStep step) {
    List<String> blockers = new ArrayList<>();
    List<ChangeSetEntry> finished = new ArrayList<>();
    for (SyncTask task : step.tasks()) {
      if (task.isPrune()) {
        continue;
      }
      if (task.isHook()) {
        switch (hooks.outcome(task)) {
          case HookRunner.Outcome.Running running ->
              blockers.add("hook " + task.object().subject() + ": " + running.message());
          case HookRunner.Outcome.Failed failed -> {
            ChangeSet deleted = new ChangeSet(hooks.finish(task, false).stream().toList());
            return fail(
                plan,
                deleted,
                step.label()
                    + " failed: hook "
                    + task.object().subject()
                    + ": "
                    + failed.message());
          }
          case HookRunner.Outcome.Succeeded ok -> hooks.finish(task, true).ifPresent(finished::add);
        }
        continue;
      }
      HealthStatus verdict = verdict(task.object());
      if (verdict.health() != Health.HEALTHY && verdict.health() != Health.SUSPENDED) {
        blockers.add(describe(verdict));
      }
    }
    if (blockers.isEmpty()) {
      log.info(
          "application={} revision={} {} healthy",
          request.application(),
          request.revision(),
          step.label());
      return state.next(new ChangeSet(finished));
    }
    String message = step.label() + " waits for " + String.join("; ", blockers);
    Duration waited = Duration.between(state.stepStarted(), clock.instant());
    if (waited.compareTo(options().waitTimeout()) > 0) {
      return fail(
          plan,
          new ChangeSet(finished),
          "timed out after " + waited.toSeconds() + " s: " + message);
    }
    return state.waiting(message);
  }

  private SyncState finish(Inventory old) {
    ChangeSet changes = state.changes();
    if (!options().dryRun()) {
      List<ObjectRef> applied =
          changes.applied().stream().filter(r -> desiredRefs().contains(r)).toList();
      PrunePlan after =
          prunes.plan(old, desiredRefs(), options().pruneOptions().withConfirmed(true));
      Inventory next = PrunePlanner.nextInventory(old, desiredRefs(), applied, after, changes);
      if (!next.equals(old)) {
        inventories.save(next);
      }
    }
    String message = "synced " + request.revision() + ": " + changes.summary();
    log.info("application={} revision={} {}", request.application(), request.revision(), message);
    return state.ended(SyncStatus.SUCCEEDED, ChangeSet.empty(), message);
  }

  private SyncState fail(SyncPlan plan, ChangeSet changes, String why) {
    ChangeSet all = changes;
    if (!options().dryRun()) {
      for (SyncStep step : plan.failSteps()) {
        for (SyncTask task : step.tasks()) {
          all = all.plus(hooks.start(task, applyOptions()));
        }
      }
    }
    log.warn(
        "application={} revision={} sync failed: {}",
        request.application(),
        request.revision(),
        why);
    return state.ended(SyncStatus.FAILED, all, why);
  }

  private HealthStatus verdict(ObjectRef ref) {
    return live.live(ref)
        .map(health::assess)
        .orElseGet(
            () ->
                new HealthStatus(
                    Health.MISSING,
                    ref.kind() + " " + ref.namespace() + "/" + ref.name() + ": not created yet"));
  }

  /** "Deployment shop/db: Progressing, 1/3 replicas available". */
  private static String describe(HealthStatus verdict) {
    String message = verdict.message();
    int colon = message.indexOf(": ");
    return colon < 0
        ? message + ": " + verdict.health().displayName()
        : message.substring(0, colon + 2)
            + verdict.health().displayName()
            + ", "
            + message.substring(colon + 2);
  }

  private SyncPlanner planner() {
    return new SyncPlanner(this::resolve);
  }

  private ObjectRef resolve(GenericKubernetesResource object) {
    ObjectRef written = ObjectRef.of(object);
    Optional<ApiResource> type = cluster.discovery().find(written.apiVersion(), written.kind());
    boolean namespaced = type.map(ApiResource::namespaced).orElse(!written.namespace().isEmpty());
    if (!namespaced) {
      return written.inNamespace("");
    }
    return written.namespace().isEmpty()
        ? written.inNamespace(request.destinationNamespace())
        : written;
  }

  private List<ObjectRef> desiredRefs() {
    return request.desired().stream()
        .filter(o -> SyncAnnotations.hook(o).isEmpty() && !SyncAnnotations.isSkipped(o))
        .map(this::resolve)
        .toList();
  }

  private boolean isHook(SyncStep step, ObjectRef ref) {
    return step.tasks().stream().anyMatch(t -> t.isHook() && t.object().equals(ref));
  }

  /** The destination namespace made by CreateNamespace is not the application's to prune. */
  private boolean isNamespaceOnly(ObjectRef ref) {
    return ref.kind().equals("Namespace") && !desiredRefs().contains(ref);
  }

  private static String firstFailure(ChangeSet changes) {
    return changes.withAction(Action.FAILED).stream()
        .findFirst()
        .map(ChangeSetEntry::toString)
        .orElse("");
  }

  private ApplyOptions applyOptions() {
    return new ApplyOptions(
        request.application(),
        request.destinationNamespace(),
        options().fieldManager(),
        options().replace(),
        options().createNamespace(),
        options().dryRun(),
        options().takeOver(),
        Duration.ofSeconds(Math.min(120, options().waitTimeout().toSeconds())));
  }

  private DiffOptions diffOptions() {
    return new DiffOptions(
        request.application(),
        request.destinationNamespace(),
        options().fieldManager(),
        options().ignoreRules());
  }

  private SyncOptions options() {
    return request.options();
  }
}
