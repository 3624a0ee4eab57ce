package dev.tagflow.sync;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ApplyOptions;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.apply.WriteAhead;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectRef;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of one application, as a resumable step function: each {@link #step()} rebuilds the
 * plan, applies the current step once (its objects, hooks and prunes), then reports what the step
 * waits for until its objects are healthy and its hooks done, and moves on. The last step of the
 * plan waits for its hooks only: the sync is done when its last wave is applied and its hooks have
 * finished, and an object of that wave still Progressing (or Degraded) is the application's health,
 * not a failed sync. The returned {@link SyncState} can be saved, and a new operation built from it
 * resumes where it stopped.
 *
 * <p>The prune decision, the circuit breaker included, is made once at the start: when the sync
 * would delete more than the allowed share, it ends {@link SyncStatus#NEEDS_CONFIRMATION} before
 * anything changed.
 *
 * <p>Never losing an owned object: what a step is about to apply is written to the inventory before
 * it is sent (write-ahead); a stale object that cannot be read is neither deleted nor dropped from
 * the inventory, and makes the sync end {@link SyncStatus#FAILED}; a step whose apply failed prunes
 * nothing and starts no hook. A step's objects are validated as one wave before any is sent, and a
 * refusal changes nothing of it (see the package manual); once it is valid, one object's failure to
 * apply is its failed entry in the change set, and the step's other objects are still applied.
 */
public final class SyncOperation {

  private static final Logger log = LoggerFactory.getLogger(SyncOperation.class);

  private final ClusterGateway cluster;
  private final LiveLookup live;
  private final InventoryStore inventories;
  private final HealthRegistry health;
  private final SyncRequest request;
  private final Clock clock;
  private final ResourceManager manager;
  private final HookRunner hooks;
  private final PrunePlanner prunes;
  private SyncState state;

  /**
   * The application's inventory as this operation last read or wrote it. While it runs it is the
   * inventory's only writer (one sync per application at a time), so it reads it once, not at every
   * step; empty until read, and again after a write whose outcome is unknown.
   */
  private Optional<Inventory> inventory = Optional.empty();

  /** An operation that starts from {@code state} ({@link SyncState#start} for a new sync). */
  public SyncOperation(SyncEngine engine, SyncRequest request, SyncState state) {
    this.cluster = engine.cluster();
    this.live = engine.live();
    this.inventories = engine.inventories();
    this.health = engine.health();
    this.clock = engine.clock();
    this.request = request;
    this.state = state;
    this.manager = new ResourceManager(cluster, live, engine.differ());
    this.hooks = new HookRunner(cluster, manager);
    this.prunes = new PrunePlanner(this::liveOrConfirmedAbsent);
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

  /**
   * Advances the sync by at most one step, and says where it stands.
   *
   * @throws ClusterException when the cluster cannot be read before the step changed anything (its
   *     inventory, discovery, a health or hook read); the state is then unchanged, and the step can
   *     be called again
   */
  public SyncState step() {
    if (state.status().isFinal()) {
      return state;
    }
    Inventory old = inventory();
    if (state.prune().isEmpty()) {
      state = decidePrune(old);
      if (state.status().isFinal()) {
        return state;
      }
    }
    SyncPlan plan = plan();
    if (state.failure().isPresent()) {
      return state = stepSyncFail(plan);
    }
    if (state.step() >= plan.steps().size()) {
      return state = finish(plan, old);
    }
    SyncStep step = plan.steps().get(state.step());
    if (!state.stepApplied()) {
      Applied applied = apply(step, old);
      ChangeSet changes = applied.changes();
      if (changes.hasFailures()) {
        state = state.applied(ChangeSet.empty(), applied.generatedNames(), clock.instant());
        return state = fail(plan, changes, step.label() + " failed: " + failures(changes));
      }
      state = state.applied(changes, applied.generatedNames(), clock.instant());
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
          int wave = liveOrConfirmedAbsent(ref).map(SyncAnnotations::wave).orElse(0);
          targets.add(new PruneTarget(ref, wave));
        }
        yield state.planned(
            targets, new ChangeSet(ready.kept()).plus(new ChangeSet(ready.unreadable())));
      }
    };
  }

  /** What applying a step did, and the names generated for its hooks with generateName. */
  private record Applied(ChangeSet changes, Map<String, String> generatedNames) {}

  private Applied apply(SyncStep step, Inventory old) {
    boolean createNamespace = state.step() == 0 && options().createNamespace();
    ApplyOptions applyOptions = applyOptions().withCreateNamespace(createNamespace);
    List<GenericKubernetesResource> objects = new ArrayList<>();
    List<ObjectRef> pruned = new ArrayList<>();
    for (SyncTask task : step.tasks()) {
      if (task.isPrune()) {
        pruned.add(task.object());
      } else if (!task.isHook()) {
        objects.add(task.desired().orElseThrow());
      }
    }
    ChangeSet changes = ChangeSet.empty();
    if (!objects.isEmpty() || createNamespace) {
      // The manager validates the step's objects as one wave (dry-runs the differ does not
      // remember), and changes nothing of it when any is refused.
      changes = manager.applyAllStaged(objects, applyOptions, new InventoryWriteAhead(old));
    }
    Map<String, String> generatedNames = Map.of();
    if (changes.hasFailures()) {
      // Neither hooks nor prunes run in a step whose objects did not all apply: the step fails,
      // and what it was about to replace may still be needed. The next sync decides again.
      for (SyncTask task : step.tasks()) {
        if (task.isHook() || task.isPrune()) {
          changes =
              changes.plus(
                  new ChangeSetEntry(
                      task.object(),
                      Action.SKIPPED,
                      task.isHook()
                          ? "hook not started: this step's apply failed"
                          : "not pruned: this step's apply failed; kept for now"));
        }
      }
    } else {
      Applied hooksStarted = startHooks(step);
      changes = changes.plus(hooksStarted.changes());
      generatedNames = hooksStarted.generatedNames();
      changes = changes.plus(manager.delete(pruned, request.application(), options().dryRun()));
    }
    log.info(
        "application={} revision={} {} applied: {}",
        request.application(),
        request.revision(),
        step.label(),
        changes.summary());
    return new Applied(changes, generatedNames);
  }

  /**
   * Writes what a stage is about to apply into the application's inventory before it is sent, so
   * that a failure or a crash in the middle of the step leaves no applied object unnamed.
   */
  private final class InventoryWriteAhead implements WriteAhead {
    private Inventory recorded;

    InventoryWriteAhead(Inventory old) {
      this.recorded = old;
    }

    @Override
    public void record(List<ObjectRef> objects) {
      Inventory next = recorded.with(objects);
      if (!next.equals(recorded)) {
        save(next);
        recorded = next;
      }
    }
  }

  private Inventory inventory() {
    if (inventory.isEmpty()) {
      inventory = Optional.of(inventories.load(request.application()));
    }
    return inventory.get();
  }

  private void save(Inventory next) {
    inventory =
        Optional.empty(); // if the write fails, whether it was stored is unknown: read again
    inventories.save(next);
    inventory = Optional.of(next);
  }

  private Applied startHooks(SyncStep step) {
    ChangeSet changes = ChangeSet.empty();
    Map<String, String> names = new HashMap<>();
    for (SyncTask task : step.tasks()) {
      if (task.isHook()) {
        HookRunner.Started started = hooks.start(task, applyOptions());
        changes = changes.plus(started.changes());
        started.generatedName().ifPresent(n -> names.put(HookNames.key(task.object()), n));
      }
    }
    return new Applied(changes, names);
  }

  /** A hook of the current step, its object (the generated name resolved) and how it stands. */
  private record HookResult(SyncTask task, ObjectRef object, HookRunner.Outcome outcome) {}

  private List<HookResult> hookResults(SyncStep step) {
    List<HookResult> results = new ArrayList<>();
    for (SyncTask task : step.tasks()) {
      if (!task.isHook()) {
        continue;
      }
      if (!task.generatesName()) {
        results.add(new HookResult(task, task.object(), hooks.outcome(task.object())));
        continue;
      }
      String name = state.generatedNames().get(HookNames.key(task.object()));
      results.add(
          name == null
              ? new HookResult(
                  task, task.object(), new HookRunner.Outcome.Failed("it was not created"))
              : new HookResult(
                  task,
                  HookRunner.withName(task.object(), name),
                  hooks.outcome(HookRunner.withName(task.object(), name))));
    }
    return results;
  }

  /** Deletes the hooks that ended as their policies ask (once their whole step is done). */
  private ChangeSet finishHooks(List<HookResult> results) {
    List<ChangeSetEntry> deleted = new ArrayList<>();
    for (HookResult result : results) {
      switch (result.outcome()) {
        case HookRunner.Outcome.Succeeded ok ->
            hooks.finish(result.task(), result.object(), true).ifPresent(deleted::add);
        case HookRunner.Outcome.Failed failed ->
            hooks.finish(result.task(), result.object(), false).ifPresent(deleted::add);
        case HookRunner.Outcome.Running running -> {}
      }
    }
    return new ChangeSet(deleted);
  }

  private SyncState await(SyncPlan plan, SyncStep step) {
    List<HookResult> results = hookResults(step);
    for (HookResult result : results) {
      if (result.outcome() instanceof HookRunner.Outcome.Failed failed) {
        ChangeSet deleted = finishHooks(List.of(result));
        return fail(
            plan,
            deleted,
            step.label() + " failed: hook " + result.object().subject() + ": " + failed.message());
      }
    }
    List<String> blockers = new ArrayList<>();
    for (HookResult result : results) {
      if (result.outcome() instanceof HookRunner.Outcome.Running running) {
        blockers.add("hook " + result.object().subject() + ": " + running.message());
      }
    }
    // The last step waits for its hooks only. A step's health wait exists for what comes after
    // it (a later wave, a PostSync hook); after the last step nothing does, and how the objects
    // then fare is the application's health, judged by its status and the rollback policy's
    // health gate, not the sync's outcome. Argo CD's gitops-engine decides the same: in its
    // sync_context, when the current phase and wave are the last and no hook remains, the
    // operation succeeds once the wave is applied, "even if those objects subsequently degraded",
    // and only a multi-step sync waits for the health of its earlier waves. (gitops-engine also
    // waits for a final wave's objects when that wave holds a hook in a multi-step sync, a
    // by-product of how it tracks running tasks; Tagflow keeps one rule: the last step waits for
    // its hooks, never for health.)
    boolean lastStep = state.step() == plan.steps().size() - 1;
    for (SyncTask task : step.tasks()) {
      if (task.isPrune() || task.isHook() || lastStep) {
        continue;
      }
      HealthStatus verdict = verdict(task.object());
      if (verdict.health() != Health.HEALTHY && verdict.health() != Health.SUSPENDED) {
        blockers.add(describe(verdict));
      }
    }
    if (blockers.isEmpty()) {
      log.info(
          "application={} revision={} {} {}",
          request.application(),
          request.revision(),
          step.label(),
          lastStep ? "done (the last step: its objects' health is the application's)" : "healthy");
      return state.next(finishHooks(results));
    }
    String message = step.label() + " waits for " + String.join("; ", blockers);
    Duration waited = Duration.between(state.stepStarted(), clock.instant());
    if (waited.compareTo(options().waitTimeout()) > 0) {
      return fail(
          plan, finishHooks(results), "timed out after " + waited.toSeconds() + " s: " + message);
    }
    return state.waiting(message);
  }

  /**
   * One step of a failed sync: starts the hooks of the current SyncFail step, then waits for them
   * as for any hook (the same timeout); when the last SyncFail step is done, the sync ends Failed
   * with why it failed and what each SyncFail hook came to.
   */
  private SyncState stepSyncFail(SyncPlan plan) {
    if (state.step() >= plan.failSteps().size()) {
      return endFailed();
    }
    SyncStep step = plan.failSteps().get(state.step());
    if (!state.stepApplied()) {
      Applied started = startHooks(step);
      state = state.applied(started.changes(), started.generatedNames(), clock.instant());
      if (started.changes().hasFailures()) {
        state =
            state.nextFailing(
                ChangeSet.empty(),
                "; " + step.label() + " could not start: " + firstFailure(started.changes()));
        return state.step() >= plan.failSteps().size() ? endFailed() : state;
      }
    }
    String why = state.failure().orElseThrow();
    List<HookResult> results = hookResults(step);
    List<String> running = new ArrayList<>();
    StringBuilder outcomes = new StringBuilder();
    for (HookResult result : results) {
      String hook = "; SyncFail hook " + result.object().subject();
      switch (result.outcome()) {
        case HookRunner.Outcome.Running r -> running.add(hook.substring(2) + ": " + r.message());
        case HookRunner.Outcome.Succeeded ok -> outcomes.append(hook).append(" succeeded");
        case HookRunner.Outcome.Failed failed ->
            outcomes.append(hook).append(" failed: ").append(failed.message());
      }
    }
    if (!running.isEmpty()) {
      Duration waited = Duration.between(state.stepStarted(), clock.instant());
      if (waited.compareTo(options().waitTimeout()) <= 0) {
        return state.waiting(
            why + "; " + step.label() + " waits for " + String.join("; ", running));
      }
      outcomes.append("; ").append(step.label()).append(" timed out after ");
      outcomes.append(waited.toSeconds()).append(" s: ").append(String.join("; ", running));
    }
    state = state.nextFailing(finishHooks(results), outcomes.toString());
    return state.step() >= plan.failSteps().size() ? endFailed() : state;
  }

  private SyncState endFailed() {
    String why = state.failure().orElseThrow();
    log.warn(
        "application={} revision={} sync failed: {}",
        request.application(),
        request.revision(),
        why);
    return state = state.ended(SyncStatus.FAILED, ChangeSet.empty(), why);
  }

  /**
   * Writes the inventory the sync leaves (pruned and gone objects out, every object whose fate is
   * not confirmed still in), then ends: succeeded, or failed when an object could not be handled (a
   * stale object that could not be read, a hook that could not be deleted).
   */
  private SyncState finish(SyncPlan plan, Inventory old) {
    ChangeSet changes = state.changes();
    if (!options().dryRun()) {
      List<ObjectRef> applied =
          changes.applied().stream().filter(r -> desiredRefs().contains(r)).toList();
      PrunePlan after =
          prunes.plan(old, desiredRefs(), options().pruneOptions().withConfirmed(true));
      Inventory next = PrunePlanner.nextInventory(old, desiredRefs(), applied, after, changes);
      if (!next.equals(old)) {
        save(next);
      }
    }
    if (changes.hasFailures()) {
      return fail(
          plan,
          ChangeSet.empty(),
          "synced " + request.revision() + " except: " + failures(changes));
    }
    String message = "synced " + request.revision() + ": " + changes.summary();
    log.info("application={} revision={} {}", request.application(), request.revision(), message);
    return state.ended(SyncStatus.SUCCEEDED, ChangeSet.empty(), message);
  }

  /**
   * The sync failed: it ends Failed, after its SyncFail hooks ran and were awaited (none run in a
   * dry-run).
   */
  private SyncState fail(SyncPlan plan, ChangeSet changes, String why) {
    if (options().dryRun() || plan.failSteps().isEmpty()) {
      log.warn(
          "application={} revision={} sync failed: {}",
          request.application(),
          request.revision(),
          why);
      return state.ended(SyncStatus.FAILED, changes, why);
    }
    log.warn(
        "application={} revision={} sync failed, running its SyncFail hooks: {}",
        request.application(),
        request.revision(),
        why);
    return state.failing(changes, why);
  }

  /**
   * The object as {@code live} has it; when that says absent, as the API server has it: a watch-fed
   * cache may not have seen an object applied a moment ago, and an owned object counts as gone only
   * when the server says so.
   */
  private Optional<GenericKubernetesResource> liveOrConfirmedAbsent(ObjectRef ref) {
    Optional<GenericKubernetesResource> seen = live.live(ref);
    return seen.isPresent() || live == cluster ? seen : cluster.get(ref);
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

  /**
   * The object's reference with its namespace resolved: from discovery, or, for a kind a CRD of
   * this sync defines and the cluster does not serve yet, from that CRD's scope (so the plan, the
   * health checks and the inventory name the object as it will exist).
   */
  private ObjectRef resolve(GenericKubernetesResource object) {
    ObjectRef written = HookNames.written(object);
    Optional<ApiResource> type = cluster.discovery().find(written.apiVersion(), written.kind());
    boolean namespaced =
        type.map(ApiResource::namespaced)
            .or(() -> scopeDefinedHere(written))
            .orElse(!written.namespace().isEmpty());
    if (!namespaced) {
      return written.inNamespace("");
    }
    return written.namespace().isEmpty()
        ? written.inNamespace(request.destinationNamespace())
        : written;
  }

  /** Whether a CRD among the desired objects defines the kind as namespaced, if one defines it. */
  private Optional<Boolean> scopeDefinedHere(ObjectRef ref) {
    return request.desired().stream()
        .filter(o -> "CustomResourceDefinition".equals(o.getKind()))
        .filter(
            crd ->
                ref.group().equals(crd.get("spec", "group"))
                    && ref.kind().equals(crd.get("spec", "names", "kind")))
        .findFirst()
        .map(crd -> "Namespaced".equals(crd.get("spec", "scope")));
  }

  private List<ObjectRef> desiredRefs() {
    return request.desired().stream()
        .filter(o -> SyncAnnotations.hook(o).isEmpty() && !SyncAnnotations.isSkipped(o))
        .map(this::resolve)
        .toList();
  }

  private static String firstFailure(ChangeSet changes) {
    return changes.withAction(Action.FAILED).stream()
        .findFirst()
        .map(ChangeSetEntry::toString)
        .orElse("");
  }

  /** How many failures a message names before it only counts the rest. */
  private static final int NAMED_FAILURES = 10;

  /**
   * Every failure, one after another (a refused wave reports each refusal at once), up to {@link
   * #NAMED_FAILURES}, and how many more there are.
   */
  private static String failures(ChangeSet changes) {
    List<ChangeSetEntry> failed = changes.withAction(Action.FAILED);
    String named =
        failed.stream()
            .limit(NAMED_FAILURES)
            .map(ChangeSetEntry::toString)
            .collect(java.util.stream.Collectors.joining("; "));
    int more = failed.size() - NAMED_FAILURES;
    return named + (more > 0 ? " (and " + more + " more failed)" : "");
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
        Duration.ofSeconds(Math.min(120, options().waitTimeout().toSeconds())),
        options().ignoreRules());
  }

  private SyncOptions options() {
    return request.options();
  }
}
