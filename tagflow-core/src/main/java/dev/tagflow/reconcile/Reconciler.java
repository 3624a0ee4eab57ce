package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.reconcile.ApplicationRegistry.Change;
import dev.tagflow.schedule.SyncWindows;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.source.GitRevert;
import dev.tagflow.source.RefChanged;
import dev.tagflow.store.EventType;
import dev.tagflow.store.Store;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: keeps every registered application's cluster equal to Git. One reconcile per
 * application at a time from a {@link WorkQueue}, triggered by
 *
 * <ul>
 *   <li>a ref change of a repository the application reads ({@link #onRefChanged}, from the
 *       webhooks, the Git server and the poller);
 *   <li>a change or deletion of one of its objects (the live-state caches' watches, matched by the
 *       tracking id), which also advances its running sync;
 *   <li>the registry adding or changing it, a dependency's status changing;
 *   <li>its periodic resync, a retry, a self-heal grace or a wave's deadline;
 *   <li>a person ({@link #refresh}, {@link #sync}, {@link #rollback}).
 * </ul>
 *
 * <p>What it knows is read through {@link #statuses()}; statuses, history and events are kept in
 * the {@link Store} and survive a restart.
 */
public final class Reconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final ApplicationRegistry registry;
  private final Destinations destinations;
  private final Store store;
  private final Clock clock;
  private final StatusBoard board;
  private final ApplicationReconcile reconcile;
  private final ApplicationRemoval removal;
  private final WorkQueue queue;
  private final Map<String, AppRuntime> runtimes = new ConcurrentHashMap<>();
  private final Timer reconciles;
  private final Counter failures;
  private final Counter quietResyncs;

  /**
   * @param registry the applications to run; the reconciler follows its changes
   * @param destinations the clusters they deploy to
   * @param store where statuses, history, events and running syncs are kept
   * @param codec how running syncs are saved for a resume after a restart; without one a sync
   *     interrupted by a restart is marked failed and decided again
   */
  public Reconciler(
      ApplicationRegistry registry,
      Destinations destinations,
      Store store,
      Optional<SyncStateCodec> codec,
      ReconcilerOptions options,
      Clock clock,
      RandomGenerator random,
      MeterRegistry meters) {
    this(registry, destinations, store, codec, Optional.empty(), options, clock, random, meters);
  }

  /**
   * @param git pushes the rollback policy's revert commits ({@code revertCommit: true}); without
   *     one such a rollback re-applies the good revision and reports the revert as failed
   */
  public Reconciler(
      ApplicationRegistry registry,
      Destinations destinations,
      Store store,
      Optional<SyncStateCodec> codec,
      Optional<GitRevert> git,
      ReconcilerOptions options,
      Clock clock,
      RandomGenerator random,
      MeterRegistry meters) {
    this.registry = registry;
    this.destinations = destinations;
    this.store = store;
    // The store keeps milliseconds: times are made at that precision, so what is read back after a
    // restart equals what was shown before it.
    clock = Clock.tick(clock, Duration.ofMillis(1));
    this.clock = clock;
    this.board = new StatusBoard(store, registry, clock);
    SyncRecords records = new SyncRecords(store);
    OperationCheckpoints checkpoints = new OperationCheckpoints(store.operations(), codec);
    SyncRunner runner = new SyncRunner(board, records, checkpoints, options, clock, random);
    PolicyRollback policyRollback = new PolicyRollback(board, runner, records, git, clock);
    this.reconcile =
        new ApplicationReconcile(
            destinations,
            registry,
            board,
            runner,
            records,
            checkpoints,
            policyRollback,
            options,
            clock,
            random);
    this.removal = new ApplicationRemoval(destinations, store, board, runner, options, random);
    this.queue = new WorkQueue("reconcile", this::reconcile, options.concurrency(), clock);
    this.reconciles =
        Timer.builder("tagflow.reconcile")
            .description("Time to reconcile one application (a sync's steps included)")
            .register(meters);
    this.failures =
        Counter.builder("tagflow.reconcile.errors")
            .description("Reconciles that failed unexpectedly (a bug: see the log)")
            .register(meters);
    this.quietResyncs =
        Counter.builder("tagflow.reconcile.resyncs.skipped")
            .description(
                "Periodic resyncs skipped: nothing changed since the application's last reconcile")
            .register(meters);
    Gauge.builder("tagflow.reconcile.queue", queue, WorkQueue::depth)
        .description("Applications waiting for a reconcile")
        .register(meters);
    Gauge.builder("tagflow.reconcile.applications", runtimes, Map::size)
        .description("Applications the controller runs")
        .register(meters);
  }

  /**
   * Starts reconciling: the applications registered so far and every change from now on. Call it
   * before feeding sources into the registry, or after: both work.
   */
  public void start() {
    registry.addListener(this::registryChanged);
    registry.addProblemListener(this::sourceProblem);
    destinations.addObjectListener(this::objectChanged);
    board.subscribe(this::statusChanged);
    for (ApplicationRegistry.Registered registered : registry.list()) {
      added(registered.application());
    }
    queue.start();
    log.info("reconciler started with {} applications", runtimes.size());
  }

  /** What the controller shows of its applications. */
  public ApplicationStatuses statuses() {
    return board;
  }

  /** The applications it runs. */
  public ApplicationRegistry registry() {
    return registry;
  }

  /** A ref moved: the applications that read that repository compare again. */
  public void onRefChanged(RefChanged change) {
    for (AppRuntime rt : runtimes.values()) {
      if (Triggers.reads(rt.application, change)) {
        wake(rt);
      }
    }
  }

  /** Compares the application with Git and the cluster now (and syncs if its policy says so). */
  public void refresh(String application) {
    wake(require(application));
  }

  /**
   * A hard refresh: as {@link #refresh}, but the comparison fetches the application's repositories
   * first and renders its manifests again rather than reuse the last render of the same inputs.
   *
   * @throws TagflowException (INVALID_INPUT) when the application is unknown
   */
  public void hardRefresh(String application) {
    ask(application, new Request.HardRefresh());
  }

  /**
   * Syncs the application now, whatever its policy, when its project's sync windows let a person
   * sync.
   *
   * @throws TagflowException (INVALID_INPUT) when the application is unknown
   * @throws SyncWindowClosedException when a sync window keeps syncs closed and none allows manual
   *     syncs (the message names it and the next opening)
   */
  public void sync(String application, boolean prune, boolean confirmPrune) {
    requireWindowOpen(require(application), "sync");
    ask(application, new Request.SyncNow(prune, confirmPrune));
  }

  /**
   * Whether the application's sync windows let a sync start now, automated ({@code manual} false)
   * or a person's, and when they open again: what a client shows as the next window.
   *
   * @throws TagflowException (INVALID_INPUT) when the application is unknown
   */
  public WindowVerdict syncWindow(String application, boolean manual) {
    return destinations
        .syncWindows(require(application).application)
        .verdict(clock.instant(), manual);
  }

  /**
   * The sync windows that apply to the application now (its project's and its environment's), to
   * show them and when they open or close next ({@link #now()} is the controller's clock).
   *
   * @throws TagflowException (INVALID_INPUT) when the application is unknown
   */
  public SyncWindows syncWindows(String application) {
    return destinations.syncWindows(require(application).application);
  }

  /** The controller's clock now: what sync windows are judged at. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Compares the application at its target revision with the cluster now, as {@code tagflow diff}
   * does (Secret values masked); changes nothing and is not recorded in its status.
   *
   * @throws TagflowException (INVALID_INPUT) when the application is unknown
   */
  public SyncReport diff(String application) {
    Application app = require(application).application;
    return destinations.syncFor(app).diff(app, RunOptions.defaults());
  }

  /** Refuses a person's sync or rollback while the application's sync windows keep syncs closed. */
  private void requireWindowOpen(AppRuntime rt, String what) {
    if (destinations.syncWindows(rt.application).verdict(clock.instant(), true)
        instanceof WindowVerdict.Closed closed) {
      log.info("application {}: {} refused by a sync window: {}", rt.name, what, closed.message());
      throw new SyncWindowClosedException(
          "'"
              + rt.name
              + "' may not "
              + what
              + " now: "
              + closed.message()
              + " (a window with manualSync: true lets people sync while it is open)",
          closed);
    }
  }

  /**
   * Applies again exactly the manifests recorded by that sync of the application's history, and
   * turns its automated sync off until {@link #enableAutomation}.
   *
   * @throws TagflowException (INVALID_INPUT) when the application is unknown, its history has no
   *     such entry (any more); a {@link SyncWindowClosedException} when a sync window keeps syncs
   *     closed (see {@link #sync})
   */
  public void rollback(String application, long historyId) {
    AppRuntime rt = require(application);
    requireWindowOpen(rt, "roll back");
    var entry = store.history().get(application, historyId);
    if (entry.isEmpty()) {
      throw TagflowException.invalidInput(
          "'"
              + application
              + "' has no sync #"
              + historyId
              + " in its history (it keeps the last few; see its history)");
    }
    if (!store.manifests().contains(entry.get().sync().manifestsHash())) {
      throw TagflowException.invalidInput(
          "the manifests of sync #" + historyId + " of '" + application + "' are not stored");
    }
    rt.ask(new Request.Rollback(historyId));
    wake(rt);
  }

  /**
   * What the application's workloads own in the cluster (a Deployment's ReplicaSets and their
   * Pods), from the destination's live-state cache, for the objects its status lists.
   *
   * @throws TagflowException (INVALID_INPUT) when the application is unknown; a {@link
   *     dev.tagflow.cluster.ClusterException} when its cluster cannot be read
   */
  public Map<ObjectRef, List<OwnedObject>> owned(String application) {
    AppRuntime rt = require(application);
    List<ObjectRef> objects =
        board.get(application).map(ApplicationStatus::objects).orElse(List.of()).stream()
            .map(ApplicationStatus.ObjectStatus::object)
            .toList();
    return destinations.owned(rt.application, objects);
  }

  /** Turns automated sync back on after a rollback turned it off. */
  public void enableAutomation(String application) {
    ask(application, new Request.EnableAutomation());
  }

  /** Marks a commit that automated sync must not apply (the rollback policy's mark). */
  public void blockRevision(String application, String commit, String reason) {
    ask(application, new Request.BlockRevision(commit, reason));
  }

  /** Lets automated sync apply a blocked commit again. */
  public void unblockRevision(String application, String commit) {
    ask(application, new Request.UnblockRevision(commit));
  }

  /**
   * Stops taking work and waits up to {@code grace} for the running reconciles: each ends after its
   * current step, which is saved, so a restart takes over where it stopped.
   *
   * @return whether every running reconcile ended in time
   */
  public boolean close(Duration grace) {
    boolean ended = queue.close(grace);
    log.info("reconciler stopped{}", ended ? "" : " (some reconciles were interrupted)");
    return ended;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  private void ask(String application, Request request) {
    AppRuntime rt = require(application);
    rt.ask(request);
    wake(rt);
  }

  /**
   * Reconciles the application soon for a reason other than its periodic resync (an event, a
   * request, a change of its Application): its next reconcile compares in full.
   */
  private void wake(AppRuntime rt) {
    rt.stirred = true;
    queue.add(rt.name);
  }

  private AppRuntime require(String application) {
    AppRuntime rt = runtimes.get(application);
    if (rt == null || rt.removal != AppRuntime.Removal.NONE) {
      throw TagflowException.invalidInput("no application named '" + application + "' runs here");
    }
    return rt;
  }

  private void reconcile(String name) {
    AppRuntime rt = runtimes.get(name);
    if (rt == null) {
      return;
    }
    if (rt.removal == AppRuntime.Removal.NONE && rt.quietResync()) {
      // Nothing but the clock asked: Git, the objects and the Application are as last compared.
      queue.addAfter(name, reconcile.skipResync(rt));
      quietResyncs.increment();
      return;
    }
    Timer.Sample sample = Timer.start();
    try {
      if (rt.removal != AppRuntime.Removal.NONE) {
        Optional<Duration> again = removal.run(rt);
        if (again.isEmpty()) {
          runtimes.remove(name, rt);
          queue.cancel(name);
        } else {
          queue.addAfter(name, again.get());
        }
        return;
      }
      rt.stirred = false;
      queue.addAfter(name, reconcile.run(rt));
    } catch (RuntimeException e) {
      // A bug, not a failure of Git or the cluster (those are conditions): said loudly, and the
      // application is tried again later rather than dropped.
      failures.increment();
      log.error("application={} reconcile failed unexpectedly", name, e);
      queue.addAfter(name, Duration.ofSeconds(30));
    } finally {
      sample.stop(reconciles);
    }
  }

  private void registryChanged(Change change) {
    switch (change) {
      case Change.Added added -> added(added.application());
      case Change.Updated updated -> {
        AppRuntime rt = runtimes.get(updated.name());
        if (rt == null) {
          added(updated.application());
        } else {
          rt.application = updated.application();
          rt.removal = AppRuntime.Removal.NONE;
          wake(rt);
        }
      }
      case Change.Removed removed -> {
        AppRuntime rt = runtimes.get(removed.name());
        if (rt != null) {
          rt.removal =
              removed.prune() ? AppRuntime.Removal.PRUNE_OBJECTS : AppRuntime.Removal.KEEP_OBJECTS;
          wake(rt);
        }
      }
    }
  }

  /**
   * A source newly has a problem: each application it concerns (kept as last read, or a parent
   * whose children were refused) gets a warning event, so its history says why it stopped following
   * its file.
   */
  private void sourceProblem(ApplicationRegistry.SourceProblem problem) {
    for (String application : problem.applications()) {
      if (runtimes.containsKey(application)) {
        board.record(
            application,
            "-",
            EventType.WARNING,
            "ApplicationSourceInvalid",
            problem.where() + ": " + problem.message());
      }
    }
  }

  private void added(Application application) {
    AppRuntime existing = runtimes.get(application.name());
    if (existing != null) {
      // Removed and added again before the removal ran: it stays.
      existing.application = application;
      existing.removal = AppRuntime.Removal.NONE;
      wake(existing);
      return;
    }
    ApplicationStatus status;
    try {
      status =
          board
              .stored(application.name())
              .orElseGet(
                  () -> ApplicationStatus.unknown(application.name(), automationOf(application)));
    } catch (TagflowException e) {
      log.error(
          "application={} could not read its stored status; starting from none: {}",
          application.name(),
          e.getMessage());
      status = ApplicationStatus.unknown(application.name(), automationOf(application));
    }
    AppRuntime rt = new AppRuntime(application, status);
    runtimes.put(application.name(), rt);
    board.publish(status);
    wake(rt);
  }

  private static ApplicationStatus.Automation automationOf(Application application) {
    return ApplicationStatus.Automation.of(
        application.syncPolicy().automated().isPresent(),
        application.syncPolicy().automated().map(a -> a.selfHeal()).orElse(false));
  }

  private void objectChanged(GenericKubernetesResource object) {
    Triggers.owner(object).map(runtimes::get).ifPresent(this::wake);
  }

  /** A dependency's status changed: the applications waiting for it look again. */
  private void statusChanged(StatusChange change) {
    if (change instanceof StatusChange.Recorded) {
      return;
    }
    for (AppRuntime rt : runtimes.values()) {
      if (rt.application.dependsOn().contains(change.application())) {
        wake(rt);
      }
    }
  }

  /** For tests: waits until no reconcile is queued or running (delayed ones aside). */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    return queue.awaitIdle(timeout);
  }

  /** The listener that feeds ref changes to {@link #onRefChanged}. */
  public Consumer<RefChanged> refListener() {
    return this::onRefChanged;
  }
}
