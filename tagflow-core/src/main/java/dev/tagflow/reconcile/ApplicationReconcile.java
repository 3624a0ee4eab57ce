package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.Deployed;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.Sync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.EventType;
import dev.tagflow.store.SyncTrigger;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 *   <li>the rollback policy's {@link PolicyRollback} judged the last sync failed: it rolls back
 *       first;
 *   <li>Git moved or the cluster drifted: as {@link AutomatedSync} decides.
 * </ul>
 *
 * <p>The flags people change between reconciles are {@link AutomationFlags}'; the health after a
 * sync goes into the history through {@link HealthHistory}.
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
  private final OperationCheckpoints checkpoints;
  private final PolicyRollback policyRollback;
  private final AutomationFlags flags;
  private final AutomatedSync automated;
  private final HealthHistory history;
  private final ReconcilerOptions options;
  private final Clock clock;
  private final RandomGenerator random;
  private final Resync resync;

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
    this.checkpoints = checkpoints;
    this.options = options;
    this.clock = clock;
    this.random = random;
    this.resync = new Resync(options, random);
    this.flags = new AutomationFlags(board);
    this.automated =
        new AutomatedSync(destinations, board, new Dependencies(board), options, resync);
    this.history = new HealthHistory(records);
  }

  /** Reconciles the application; answers when it should run next. */
  Duration run(AppRuntime rt) {
    rt.onlyResyncNext = false;
    rt.quietResyncs = 0;
    Instant now = clock.instant();
    Application application = rt.application;
    flags.update(rt, now);
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
    boolean hard = rt.hardRefresh;
    rt.hardRefresh = false;
    if (hard) {
      log.info("application={} hard refresh: fetching Git and rendering again", rt.name);
    }
    ApplicationRun run;
    try {
      run = sync.newRun(application, runOptions, hard ? Optional.empty() : rt.lastRender);
    } catch (TagflowException e) {
      return failed(rt, "InvalidSpec", e.getMessage(), false);
    }
    run.applied = rt.applied;
    Optional<SyncFailure> failure =
        run.through(
            List.of(
                sync.source(hard),
                sync.render(),
                sync.compare(sync.engine().live()),
                sync.health()));
    if (failure.isPresent()) {
      rt.hardRefresh |= hard; // fetched again when Git or the cluster can be read
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
      if (liveViewBehind(rt, sync, objects)) {
        // The cache has not shown the last sync's writes yet (a rollback's, a moment ago): this
        // "in sync" compared Git with the cluster from before that sync, so it says nothing of what
        // runs now; the watch event of the write reconciles again.
        log.debug("application={} live view behind the last sync's writes", rt.name);
      } else if (deployed.isEmpty()
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
    history.recordAfterSync(rt, sync, health, now);
    Duration periodic = resync();
    Duration next = periodic;
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
      AutomatedSync.Decision decision =
          automated.decide(rt, sync, objects, rendered, revision, gitMoved, conditions, now);
      trigger = decision.trigger();
      next = min(next, decision.next());
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
    // Only the clock asked for the next run and nothing is left to do: it may skip (skipResync).
    rt.onlyResyncNext =
        next == periodic && objects.code() == SyncCode.SYNCED && rt.operation == null;
    return next;
  }

  /** Whether any of the application's live objects is older than what a sync wrote for it. */
  private static boolean liveViewBehind(
      AppRuntime rt, ApplicationSync sync, ObjectStatuses objects) {
    for (ApplicationStatus.ObjectStatus object : objects.objects()) {
      try {
        Optional<GenericKubernetesResource> live = sync.engine().live().live(object.object());
        if (live.isPresent() && rt.applied.behind(object.object(), live.get()).isPresent()) {
          return true;
        }
      } catch (ClusterException e) {
        return true; // not readable now: not known to be caught up
      }
    }
    return false;
  }

  /**
   * A periodic resync of an application nothing stirred since its last full reconcile ({@link
   * AppRuntime#quietResync}): Git did not move (a ref change would have stirred it), its objects
   * did not change in the live-state cache (a watch event would have), nor did its Application, so
   * comparing again would find what the last one found. Nothing is read, rendered, compared or
   * written; the next resync is scheduled.
   */
  Duration skipResync(AppRuntime rt) {
    rt.quietResyncs++;
    return resync();
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

  private Duration resync() {
    return resync.next();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
