package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.app.SyncPolicy;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.BlockedRevision;
import dev.tagflow.reconcile.ApplicationStatus.Deployed;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.Sync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.store.EventType;
import dev.tagflow.store.SyncTrigger;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of one application: take the requests, advance a running sync if there is one,
 * otherwise run the steps {@code source} → {@code render} → {@code diff} → {@code health} of its
 * destination's {@link ApplicationSync}, publish what they found, and decide whether to sync:
 *
 * <ul>
 *   <li>a person asked (sync, rollback): always;
 *   <li>Git moved (the render key differs from the deployed one) and the policy is automated:
 *       unless the commit is blocked, a failed sync of it waits for its retry, or a dependency is
 *       not ready;
 *   <li>the cluster drifted (same render key, objects differ): with {@code selfHeal}, once the
 *       drift is older than the grace period; without, the drift is reported and left alone.
 * </ul>
 *
 * <p>Automation (a Git move or a heal) starts only while the project's sync windows let it ({@code
 * SyncWindowClosed} otherwise, and a reconcile when they open); a person's sync was checked when
 * asked ({@link Reconciler#sync}), and a health-gated policy rollback passes a deny window: it
 * finishes a change the windows already let in.
 *
 * <p>It answers when the application should reconcile next (a wait's deadline, a retry, a heal, or
 * the periodic resync); events on its objects and its repository come sooner.
 */
final class ApplicationReconcile {

  private static final Logger log = LoggerFactory.getLogger(ApplicationReconcile.class);

  private final Destinations destinations;
  private final ApplicationRegistry registry;
  private final ChildApplications children = new ChildApplications(new ApplicationLoader());
  private final StatusBoard board;
  private final SyncRunner runner;
  private final SyncRecords records;
  private final OperationCheckpoints checkpoints;
  private final Dependencies dependencies;
  private final PolicyRollback policyRollback;
  private final ReconcilerOptions options;
  private final Clock clock;
  private final RandomGenerator random;

  ApplicationReconcile(
      Destinations destinations,
      ApplicationRegistry registry,
      StatusBoard board,
      SyncRunner runner,
      SyncRecords records,
      OperationCheckpoints checkpoints,
      PolicyRollback policyRollback,
      ReconcilerOptions options,
      Clock clock,
      RandomGenerator random) {
    this.destinations = destinations;
    this.registry = registry;
    this.policyRollback = policyRollback;
    this.board = board;
    this.runner = runner;
    this.records = records;
    this.checkpoints = checkpoints;
    this.dependencies = new Dependencies(board);
    this.options = options;
    this.clock = clock;
    this.random = random;
  }

  /** Reconciles the application; answers when it should run next. */
  Duration run(AppRuntime rt) {
    Instant now = clock.instant();
    Application application = rt.application;
    rt.status = rt.status.withAutomation(policy(rt.status.automation(), application));
    takeRequests(rt, now);
    ApplicationSync sync;
    try {
      sync = destinations.syncFor(application);
    } catch (ClusterException e) {
      return failed(rt, "ClusterUnavailable", e.getMessage(), e.failure().isTransient());
    } catch (TagflowException e) {
      return failed(rt, "InvalidSpec", e.getMessage(), false);
    }
    Optional<String> denied =
        destinations.refusal(application, application.destination().namespace());
    if (denied.isPresent() && rt.operation == null) {
      // A sync already running finishes as it started; nothing new is applied.
      return failed(rt, "ProjectDenied", denied.get(), false);
    }
    if (!rt.checkedInterrupted) {
      try {
        Optional<OperationCheckpoints.Checkpoint> saved = checkpoints.interrupted(rt.name);
        rt.checkedInterrupted = true;
        if (saved.isPresent() && runner.resume(rt, sync, saved.get())) {
          return runner.advance(rt);
        }
      } catch (TagflowException e) {
        // Whether a sync was interrupted must be known before another starts: ask again later.
        return failed(rt, "StoreUnavailable", e.getMessage(), true);
      }
    }
    if (rt.operation != null) {
      PolicyRollback.Outcome gate = policyRollback.checkRunning(rt, sync, clock.instant());
      if (gate.rolledBack()) {
        return gate.next().orElse(Duration.ZERO);
      }
      Duration next = runner.advance(rt);
      return gate.next().map(g -> min(g, next)).orElse(next);
    }
    Request asked = rt.operationRequests.pollFirst();
    if (asked instanceof Request.Rollback rollback) {
      try {
        return runner.rollback(rt, sync, rollback.historyId());
      } catch (TagflowException e) {
        board.record(rt.name, "?", EventType.WARNING, "RollbackFailed", e.getMessage());
        return Duration.ZERO;
      }
    }
    RunOptions runOptions = RunOptions.defaults().withWaitTimeout(options.waitTimeout());
    if (asked instanceof Request.SyncNow syncNow) {
      runOptions = runOptions.withPrune(syncNow.prune()).withConfirmPrune(syncNow.confirmPrune());
    }
    ApplicationRun run;
    try {
      run = sync.newRun(application, runOptions, rt.lastRender);
    } catch (TagflowException e) {
      return failed(rt, "InvalidSpec", e.getMessage(), false);
    }
    Optional<SyncFailure> failure =
        run.through(
            List.of(
                sync.source(false),
                sync.render(),
                sync.compare(sync.engine().live()),
                sync.health()));
    if (failure.isPresent()) {
      if (asked != null) {
        rt.operationRequests.addFirst(asked); // asked again once Git or the cluster can be read
      }
      return failed(
          rt,
          failure.get().getClass().getSimpleName(),
          failure.get().message(),
          !failure.get().invalidInput());
    }
    Optional<String> deniedObject = deniedNamespace(application, run.rendered().orElseThrow());
    if (deniedObject.isPresent()) {
      return failed(rt, "ProjectDenied", deniedObject.get(), false);
    }
    rt.errorRetries = 0;
    rt.lastRender = run.rendered();
    // Child applications follow the parent's manifests, whether or not the parent then syncs.
    List<String> refusedChildren =
        children.register(registry, rt.name, run.rendered().orElseThrow().children());
    return compared(rt, sync, run, asked, refusedChildren, now);
  }

  /**
   * The project's refusal of a namespace a rendered object names (the destination's was checked
   * before the run), so that a chart writing elsewhere is refused as a whole, before anything is
   * applied.
   */
  private Optional<String> deniedNamespace(Application application, Rendered rendered) {
    Set<String> namespaces = new TreeSet<>();
    for (GenericKubernetesResource object : rendered.desired()) {
      String namespace = object.getMetadata().getNamespace();
      if (namespace != null
          && !namespace.isEmpty()
          && !namespace.equals(application.destination().namespace())) {
        namespaces.add(namespace);
      }
    }
    for (String namespace : namespaces) {
      Optional<String> refused = destinations.refusal(application, namespace);
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  /** Publishes what the comparison found, and syncs when it should. */
  private Duration compared(
      AppRuntime rt,
      ApplicationSync sync,
      ApplicationRun run,
      Request asked,
      List<String> refusedChildren,
      Instant now) {
    Application application = rt.application;
    Rendered rendered = run.rendered().orElseThrow();
    GitRevision revision =
        new GitRevision(run.revision().orElseThrow().requested(), rendered.commit());
    ObjectStatuses objects =
        ObjectStatuses.of(rt.name, run.diffs(), run.objectHealth(), sync.engine().live());
    HealthStatus health = run.health().orElse(HealthStatus.unknown("not judged"));
    ConditionSet conditions = new ConditionSet(rt.status.conditions(), now);
    objects
        .shared()
        .forEach(
            (ref, owner) ->
                conditions.warning(
                    "SharedResource",
                    ref.subject()
                        + " belongs to application '"
                        + owner
                        + "'; Tagflow leaves it alone (remove it from one of them)"));
    if (!refusedChildren.isEmpty()) {
      conditions.warning("ChildApplicationRefused", String.join("; ", refusedChildren));
    }
    Optional<Deployed> deployed = rt.status.deployed();
    if (objects.code() == SyncCode.SYNCED) {
      // The cluster runs this revision, whether a sync put it there or Git moved elsewhere.
      rt.driftSince = null;
      if (deployed.isEmpty()
          || !deployed.get().renderKey().equals(rendered.key())
          || !deployed.get().revision().equals(revision)) {
        deployed =
            Optional.of(
                new Deployed(
                    revision,
                    rendered.key(),
                    deployed
                        .filter(d -> d.renderKey().equals(rendered.key()))
                        .flatMap(Deployed::historyId),
                    now));
      }
    }
    rt.status =
        rt.status
            .withSync(new Sync(objects.code(), Optional.of(revision)))
            .withDeployed(deployed)
            .withHealth(health)
            .withObjects(objects.objects())
            .withReconciledAt(now);
    recordHealthAfter(rt, sync, health, now);
    Duration next = resync();
    if (asked == null) {
      // Before automation decides: a failed sync rolls back instead of being built upon.
      PolicyRollback.Outcome gate = policyRollback.check(rt, sync, health, conditions, now);
      if (gate.rolledBack()) {
        return gate.next().orElse(Duration.ZERO);
      }
      next = gate.next().map(n -> min(n, resync())).orElse(next);
    }
    Optional<SyncTrigger> trigger = Optional.empty();
    if (asked instanceof Request.SyncNow) {
      trigger = Optional.of(SyncTrigger.USER);
    } else if (objects.code() == SyncCode.OUT_OF_SYNC) {
      boolean gitMoved = deployed.map(d -> !d.renderKey().equals(rendered.key())).orElse(true);
      Decision decision =
          gitMoved
              ? whenGitMoved(rt, rendered, revision, conditions, now)
              : whenDrifted(rt, sync, objects, revision, conditions, now);
      trigger = decision.trigger();
      next = min(next, decision.next());
      if (trigger.isPresent()) {
        Optional<Duration> opens = windowClosed(rt, trigger.get(), revision, conditions, now);
        if (opens.isPresent()) {
          trigger = Optional.empty();
          next = min(next, opens.get());
        }
      }
    } else {
      rt.driftSince = null;
    }
    if (rt.status.automation().automated() && rt.status.automation().disabled().isPresent()) {
      conditions.warning("AutomationDisabled", rt.status.automation().disabled().get().reason());
    }
    rt.status = rt.status.withConditions(conditions.build());
    if (trigger.isPresent()) {
      board.publish(rt.status);
      try {
        Duration after = runner.start(rt, sync, run, trigger.get());
        if (trigger.get() == SyncTrigger.SELF_HEAL) {
          rt.healed(now);
        }
        rt.driftSince = null;
        return after;
      } catch (TagflowException e) {
        // Every sync is recorded before it starts: one the history cannot take does not start.
        if (asked != null) {
          rt.operationRequests.addFirst(asked);
        }
        return failed(rt, "StoreUnavailable", "the sync was not started: " + e.getMessage(), true);
      }
    }
    board.publish(rt.status);
    return next;
  }

  /** What automation does about an out-of-sync application. */
  private record Decision(Optional<SyncTrigger> trigger, Duration next) {
    static Decision none(Duration next) {
      return new Decision(Optional.empty(), next);
    }
  }

  private Decision whenGitMoved(
      AppRuntime rt,
      Rendered rendered,
      GitRevision revision,
      ConditionSet conditions,
      Instant now) {
    Automation automation = rt.status.automation();
    if (!automation.active()) {
      return Decision.none(resync());
    }
    if (automation.isBlocked(rendered.commit())) {
      conditions.warning(
          "RevisionBlocked",
          "automated sync does not apply "
              + revision
              + ": "
              + automation.blocked().stream()
                  .filter(b -> b.commit().equals(rendered.commit()))
                  .findFirst()
                  .map(BlockedRevision::reason)
                  .orElse("")
              + "; a newer commit, or a person's sync, applies again");
      return Decision.none(resync());
    }
    Optional<Duration> retryWait = retryWait(rt, rendered, now);
    if (retryWait.isPresent()) {
      conditions.keep("SyncFailed");
      return Decision.none(retryWait.get());
    }
    Optional<String> blocked = dependencies.blocking(rt.application);
    if (blocked.isPresent()) {
      conditions.warning("DependencyNotReady", blocked.get());
      return Decision.none(resync());
    }
    return new Decision(Optional.of(SyncTrigger.AUTOMATION), resync());
  }

  private Decision whenDrifted(
      AppRuntime rt,
      ApplicationSync sync,
      ObjectStatuses objects,
      GitRevision revision,
      ConditionSet conditions,
      Instant now) {
    if (!objects.hasDrift()) {
      // Only objects Git no longer has differ, and prune is off: a sync would keep them anyway.
      conditions.warning(
          "PruneRequired",
          "objects no longer in Git are kept because prune is off; sync with prune to delete"
              + " them");
      return Decision.none(resync());
    }
    if (rt.driftSince == null && cacheLags(sync, objects)) {
      // The cache has not seen the last writes (a sync's own, a moment ago): their watch events
      // reconcile again; what differs now is no drift yet.
      conditions.keep("Drift");
      return Decision.none(Duration.ofSeconds(1));
    }
    Automation automation = rt.status.automation();
    String drift = objects.driftSummary();
    boolean heals = automation.active() && automation.selfHeal();
    if (rt.driftSince == null) {
      rt.driftSince = now;
      board.record(
          rt.name,
          revision.toString(),
          EventType.WARNING,
          "DriftDetected",
          (drift.isEmpty() ? "the cluster differs from Git" : drift)
              + (heals
                  ? "; healed in " + options.selfHealGrace().toSeconds() + " s unless Git changes"
                  : "; selfHeal is off, so it is left as it is"));
    }
    if (!heals) {
      conditions.warning(
          "Drift",
          (drift.isEmpty() ? "the cluster differs from Git" : drift)
              + "; selfHeal is off, so it is left as it is (sync to undo it)");
      return Decision.none(resync());
    }
    Rendered rendered = rt.lastRender.orElseThrow();
    Optional<Duration> retryWait = retryWait(rt, rendered, now);
    if (retryWait.isPresent()) {
      conditions.keep("SyncFailed");
      return Decision.none(retryWait.get());
    }
    Instant healAt = rt.driftSince.plus(rt.healGrace(now, options.selfHealGrace()));
    if (now.isBefore(healAt)) {
      conditions.warning("Drift", drift + "; healed at " + healAt + " (selfHeal grace)");
      return Decision.none(Duration.between(now, healAt));
    }
    Optional<String> blocked = dependencies.blocking(rt.application);
    if (blocked.isPresent()) {
      conditions.warning("DependencyNotReady", blocked.get());
      return Decision.none(resync());
    }
    return new Decision(Optional.of(SyncTrigger.SELF_HEAL), resync());
  }

  /**
   * When the project's sync windows keep automation from syncing now: a {@code SyncWindowClosed}
   * condition naming the window and the next opening, one event when it starts, and the wait until
   * the opening (the next reconcile syncs then, not a resync later); empty when they let it sync.
   */
  private Optional<Duration> windowClosed(
      AppRuntime rt,
      SyncTrigger trigger,
      GitRevision revision,
      ConditionSet conditions,
      Instant now) {
    if (!(destinations.syncWindows(rt.application).verdict(now, false)
        instanceof WindowVerdict.Closed closed)) {
      return Optional.empty();
    }
    String waits = trigger == SyncTrigger.SELF_HEAL ? "self-heal waits" : "automated sync waits";
    conditions.warning("SyncWindowClosed", waits + ": " + closed.message());
    if (rt.status.condition("SyncWindowClosed").isEmpty()) {
      board.record(
          rt.name,
          revision.toString(),
          EventType.NORMAL,
          "SyncWindowClosed",
          waits + ": " + closed.message());
      log.info(
          "application {} revision {}: {} for a sync window: {}",
          rt.name,
          revision,
          waits,
          closed.message());
    }
    return Optional.of(
        closed
            .opensAt()
            .map(at -> Duration.between(now, at))
            .filter(d -> d.isPositive())
            .map(d -> min(d, resync()))
            .orElse(resync()));
  }

  /**
   * Whether the live-state cache holds an older version of a differing object than the API server:
   * asked only when drift is suspected, so a steady state sends no request. An object that cannot
   * be read counts as lagging: drift is decided when it can be.
   */
  private static boolean cacheLags(ApplicationSync sync, ObjectStatuses objects) {
    for (ApplicationStatus.ObjectStatus object : objects.objects()) {
      if (object.sync() != ApplicationStatus.ObjectSync.OUT_OF_SYNC
          && object.sync() != ApplicationStatus.ObjectSync.MISSING) {
        continue;
      }
      try {
        Optional<String> cached =
            sync.engine()
                .live()
                .live(object.object())
                .map(o -> o.getMetadata().getResourceVersion());
        Optional<String> actual =
            sync.engine()
                .cluster()
                .get(object.object())
                .map(o -> o.getMetadata().getResourceVersion());
        if (!cached.equals(actual)) {
          return true;
        }
      } catch (ClusterException e) {
        return true;
      }
    }
    return false;
  }

  /**
   * How long automation must still wait before retrying a failed sync of this render key; a wait of
   * a full resync when its retries are used up.
   */
  private Optional<Duration> retryWait(AppRuntime rt, Rendered rendered, Instant now) {
    if (rt.failed == null || !rt.failed.renderKey().equals(rendered.key())) {
      return Optional.empty();
    }
    if (rt.failed.retryAt().isEmpty()) {
      return Optional.of(resync());
    }
    Duration left = Duration.between(now, rt.failed.retryAt().get());
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** Handles the requests that change flags now, and keeps syncs and rollbacks for their turn. */
  private void takeRequests(AppRuntime rt, Instant now) {
    for (Request request : rt.takeRequests()) {
      Automation automation = rt.status.automation();
      switch (request) {
        case Request.EnableAutomation enable -> {
          if (automation.disabled().isPresent()) {
            rt.status = rt.status.withAutomation(automation.withDisabled(Optional.empty()));
            board.record(
                rt.name,
                "-",
                EventType.NORMAL,
                "AutomationEnabled",
                "automated sync follows Git again");
          }
        }
        case Request.BlockRevision block -> {
          if (!automation.isBlocked(block.commit())) {
            List<BlockedRevision> blocked = new ArrayList<>(automation.blocked());
            blocked.add(new BlockedRevision(block.commit(), block.reason(), now));
            rt.status = rt.status.withAutomation(automation.withBlocked(blocked));
            board.record(
                rt.name,
                block.commit(),
                EventType.WARNING,
                "RevisionBlocked",
                "automated sync will not apply " + block.commit() + ": " + block.reason());
          }
        }
        case Request.UnblockRevision unblock -> {
          rt.status =
              rt.status.withAutomation(
                  automation.withBlocked(
                      automation.blocked().stream()
                          .filter(b -> !b.commit().equals(unblock.commit()))
                          .toList()));
        }
        case Request.SyncNow syncNow -> rt.operationRequests.addLast(syncNow);
        case Request.Rollback rollback -> rt.operationRequests.addLast(rollback);
      }
    }
  }

  /** A step, the destination or the Application failed: status says so, and when to try again. */
  private Duration failed(AppRuntime rt, String reason, String message, boolean retry) {
    Instant now = clock.instant();
    ConditionSet conditions = new ConditionSet(rt.status.conditions(), now).keep("Drift");
    Duration next;
    String when;
    if (retry) {
      int attempt = ++rt.errorRetries;
      next = options.errorBackoff().delay(attempt, random).orElse(resync());
      when = "; trying again in " + Math.max(1, next.toSeconds()) + " s";
    } else {
      next = resync();
      when = "; tried again when Git or the Application changes";
    }
    conditions.error(reason, message + when);
    boolean firstTime = rt.status.condition(reason).isEmpty();
    rt.status =
        rt.status
            .withSync(new Sync(SyncCode.UNKNOWN, rt.status.sync().revision()))
            .withConditions(conditions.build())
            .withReconciledAt(now);
    if (firstTime) {
      board.record(
          rt.name,
          rt.status.sync().revision().map(Object::toString).orElse("?"),
          EventType.WARNING,
          reason,
          message);
    }
    board.publish(rt.status);
    return next;
  }

  /** Records the application's health on the history entry of its last sync, as it settles. */
  private void recordHealthAfter(
      AppRuntime rt, ApplicationSync sync, HealthStatus health, Instant now) {
    Optional<ApplicationStatus.Operation> last = rt.status.operation();
    if (last.isEmpty() || !last.get().phase().isFinal()) {
      return;
    }
    String verdict = health.health().displayName();
    long id = last.get().historyId();
    if (id == rt.healthRecordedFor && verdict.equals(rt.healthRecorded)) {
      return;
    }
    try {
      records.healthAfter(rt.name, id, verdict);
      rt.healthRecordedFor = id;
      rt.healthRecorded = verdict;
      if (health.health() == Health.HEALTHY) {
        recordLiveDigests(rt, sync, id, now);
      }
    } catch (TagflowException e) {
      // History is for people; a store that refuses now is told in the log and asked again.
      log.warn(
          "application={} could not record its health after sync #{}: {}",
          rt.name,
          id,
          e.getMessage());
    }
  }

  /**
   * Once the application is Healthy after a sync its Pods run the images it deployed: the digests
   * they report are added to the sync's release (as a new release, linked instead); for an image no
   * Pod reports a digest of, the one recorded when Tagflow's pipeline pushed that image:tag.
   */
  private void recordLiveDigests(AppRuntime rt, ApplicationSync sync, long id, Instant now) {
    try {
      var references = records.undigested(rt.name, id);
      if (references.isEmpty()) {
        return;
      }
      var digests =
          new LinkedHashMap<>(
              PodDigests.of(
                  sync.engine().cluster(), rt.application.destination().namespace(), references));
      // Pods that report no imageID (kwok's, some runtimes'): the digest Tagflow's own runs got
      // when they pushed that image:tag, if one did.
      var unreported = new LinkedHashSet<>(references);
      unreported.removeAll(digests.keySet());
      var built = records.builtDigests(unreported);
      digests.putAll(built);
      records
          .withLiveDigests(rt.name, id, digests, now)
          .ifPresent(
              release ->
                  log.info(
                      "application={} sync #{} release={} with the digests its Pods report{}",
                      rt.name,
                      id,
                      release,
                      built.isEmpty() ? "" : " and, for " + built.keySet() + ", its runs pushed"));
    } catch (TagflowException e) {
      // A cluster or store failure (ClusterException is one). The digests are for people reading
      // the release; asked again after the next sync.
      log.warn(
          "application={} could not read the digests its Pods report after sync #{}: {}",
          rt.name,
          id,
          e.getMessage());
    }
  }

  private static Automation policy(Automation automation, Application application) {
    Optional<SyncPolicy.Automated> automated = application.syncPolicy().automated();
    return automation.withPolicy(
        automated.isPresent(), automated.map(SyncPolicy.Automated::selfHeal).orElse(false));
  }

  /** The periodic resync, brought forward by a random share. */
  private Duration resync() {
    long millis = options.resyncInterval().toMillis();
    return Duration.ofMillis(
        millis - Math.round(millis * options.resyncJitter() * random.nextDouble()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
