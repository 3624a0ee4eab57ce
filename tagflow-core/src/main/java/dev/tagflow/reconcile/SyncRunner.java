package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.reconcile.AppRuntime.RunningSync;
import dev.tagflow.reconcile.ApplicationStatus.Disabled;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import dev.tagflow.reconcile.OperationCheckpoints.Checkpoint;
import dev.tagflow.store.EventType;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncOperation;
import dev.tagflow.sync.SyncOptions;
import dev.tagflow.sync.SyncPlan;
import dev.tagflow.sync.SyncState;
import dev.tagflow.sync.SyncStep;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Starts, advances and ends an application's syncs. A sync is recorded in history when it starts,
 * advanced one step at a time by {@link SyncOperation#step()} each time the application reconciles
 * (a watch event on one of its objects, or its wait deadline), saved after each step, and recorded
 * again when it ends ({@link SyncEnding}). A sync that ends is done with its last wave and its
 * hooks: the application's health afterwards is its own status.
 */
final class SyncRunner {

  private final StatusBoard board;
  private final SyncRecords records;
  private final OperationCheckpoints checkpoints;
  private final ReconcilerOptions options;
  private final Clock clock;
  private final RandomGenerator random;
  private final SyncEnding ending;

  SyncRunner(
      StatusBoard board,
      SyncRecords records,
      OperationCheckpoints checkpoints,
      ReconcilerOptions options,
      Clock clock,
      RandomGenerator random) {
    this.board = board;
    this.records = records;
    this.checkpoints = checkpoints;
    this.options = options;
    this.clock = clock;
    this.random = random;
    this.ending = new SyncEnding(board, records, checkpoints, clock, random);
  }

  /**
   * Starts a sync of what the run rendered, and takes its first step.
   *
   * @return when the application should reconcile next
   */
  Duration start(AppRuntime rt, ApplicationSync sync, ApplicationRun run, SyncTrigger trigger) {
    Rendered rendered = run.rendered().orElseThrow();
    GitRevision revision =
        new GitRevision(run.revision().orElseThrow().requested(), rendered.commit());
    HistoryEntry entry =
        records.started(
            rt.name, revision, sync.tagAt(run), rendered.desired(), trigger, clock.instant());
    SyncOperation operation = sync.operation(run, SyncState.start(rt.name, revision.toString()));
    rt.operation =
        new RunningSync(operation, entry, trigger, revision, rendered.key(), Optional.empty());
    board.record(
        rt.name,
        revision.toString(),
        EventType.NORMAL,
        "SyncStarted",
        "sync #"
            + entry.id()
            + " of "
            + revision
            + " started by "
            + describe(trigger)
            + entry.sync().releaseId().map(r -> "; release " + r).orElse(""));
    return advance(rt);
  }

  /**
   * Starts a rollback: the manifests recorded by that history entry are applied again as a sync
   * started by a person, and automated sync is turned off until re-enabled.
   */
  Duration rollback(AppRuntime rt, ApplicationSync sync, long historyId) {
    return rollback(rt, sync, historyId, SyncTrigger.USER, "");
  }

  /**
   * Starts a rollback to that history entry. One a person asked for ({@link SyncTrigger#USER})
   * turns automated sync off until re-enabled, as Argo CD users expect; the rollback policy's
   * ({@link SyncTrigger#ROLLBACK_POLICY}) leaves it on: it blocked the bad commit instead, so
   * automation goes on following Git from the next commit.
   *
   * @param why what made the policy roll back, for its event; empty for a person's
   */
  Duration rollback(
      AppRuntime rt, ApplicationSync sync, long historyId, SyncTrigger trigger, String why) {
    Application application = rt.application;
    Optional<HistoryEntry> target = records.get(rt.name, historyId);
    if (target.isEmpty()) {
      board.record(
          rt.name,
          "?",
          EventType.WARNING,
          "RollbackFailed",
          "no sync #" + historyId + " in the history of '" + rt.name + "' (it keeps the last few)");
      return Duration.ZERO;
    }
    List<GenericKubernetesResource> manifests = records.manifests(target.get());
    GitRevision revision =
        new GitRevision(target.get().sync().requestedRef(), target.get().sync().commit());
    Instant now = clock.instant();
    HistoryEntry entry =
        records.startedWith(
            rt.name,
            revision,
            target.get().sync().manifestsHash(),
            target.get().sync().releaseId(),
            trigger,
            now);
    boolean byPerson = trigger == SyncTrigger.USER;
    if (byPerson) {
      rt.status =
          rt.status.withAutomation(
              rt.status
                  .automation()
                  .withDisabled(
                      Optional.of(
                          new Disabled(
                              "rolled back to sync #"
                                  + historyId
                                  + " by a person; re-enable automated sync to follow Git again",
                              now))));
    }
    SyncOptions syncOptions = sync.newRun(application, runOptions(), Optional.empty()).options();
    SyncOperation operation =
        sync.operation(
            application,
            revision.toString(),
            manifests,
            syncOptions,
            SyncState.start(rt.name, revision.toString()));
    rt.operation =
        new RunningSync(
            operation,
            entry,
            trigger,
            revision,
            renderKeyOfHistory(target.get()),
            Optional.of(historyId));
    board.record(
        rt.name,
        revision.toString(),
        byPerson ? EventType.NORMAL : EventType.WARNING,
        "RollbackStarted",
        "sync #"
            + entry.id()
            + " rolls back to sync #"
            + historyId
            + " ("
            + revision
            + ")"
            + (byPerson
                ? "; automated sync is off until re-enabled"
                : " by the rollback policy: " + why + "; automated sync stays on"));
    return advance(rt);
  }

  /**
   * Resumes a sync saved before a restart from its state; without a state (no codec), marks it
   * failed with the reason.
   *
   * @return whether a sync was resumed (the caller then advances it)
   */
  boolean resume(AppRuntime rt, ApplicationSync sync, Checkpoint checkpoint) {
    Optional<HistoryEntry> entry = records.get(rt.name, checkpoint.historyId());
    if (checkpoint.state().isEmpty() || entry.isEmpty()) {
      entry.ifPresent(
          e ->
              records.finished(
                  e,
                  SyncResult.FAILED,
                  ChangeSet.empty(),
                  "interrupted: Tagflow stopped before this sync ended; the next reconcile"
                      + " decides again",
                  clock.instant()));
      checkpoints.clear(rt.name);
      board.record(
          rt.name,
          checkpoint.revision().toString(),
          EventType.WARNING,
          "SyncInterrupted",
          "sync #"
              + checkpoint.historyId()
              + " was interrupted by a restart; the next reconcile decides again");
      return false;
    }
    List<GenericKubernetesResource> manifests = records.manifests(entry.get());
    sync.watchKindsOf(rt.name, manifests);
    SyncOptions syncOptions = sync.newRun(rt.application, runOptions(), Optional.empty()).options();
    SyncOperation operation =
        sync.operation(
            rt.application,
            checkpoint.revision().toString(),
            manifests,
            syncOptions,
            checkpoint.state().get());
    rt.operation =
        new RunningSync(
            operation,
            entry.get(),
            checkpoint.trigger(),
            checkpoint.revision(),
            checkpoint.renderKey(),
            checkpoint.rollbackOf());
    board.record(
        rt.name,
        checkpoint.revision().toString(),
        EventType.NORMAL,
        "SyncResumed",
        "sync #" + checkpoint.historyId() + " resumed after a restart");
    return true;
  }

  /**
   * Takes the running sync as far as it goes without waiting: step after step until one waits for
   * health or a hook, or the sync ends.
   *
   * @return when the application should reconcile next: at the wait's deadline (a watch event on
   *     one of its objects comes sooner), or now when the sync ended
   */
  Duration advance(AppRuntime rt) {
    RunningSync running = rt.operation;
    SyncState state;
    try {
      do {
        state = running.operation().step();
        checkpoints.save(
            rt.name,
            new Checkpoint(
                running.entry().id(),
                running.trigger(),
                running.revision(),
                running.renderKey(),
                running.rollbackOf(),
                Optional.of(state)));
      } while (!state.status().isFinal() && state.message().isEmpty());
    } catch (ClusterException e) {
      if (!e.failure().isTransient()) {
        return ending.finish(rt, ending.failedState(running, e.getMessage()));
      }
      // The step changed nothing: the same step is tried again later.
      int retry = ++rt.errorRetries;
      Duration delay = options.errorBackoff().delay(retry, random).orElse(options.resyncInterval());
      rt.status =
          rt.status
              .withOperation(
                  Optional.of(
                      operation(
                          running,
                          running.operation().state(),
                          "the cluster did not answer ("
                              + e.getMessage()
                              + "); trying again in "
                              + delay.toSeconds()
                              + " s")))
              .withConditions(
                  new ConditionSet(rt.status.conditions(), clock.instant())
                      .keep("DependencyNotReady")
                      .error("ClusterUnavailable", e.getMessage())
                      .build());
      board.publish(rt.status);
      return delay;
    } catch (TagflowException e) {
      // Git's objects cannot be planned (a wave annotation that is not a number): no step will.
      return ending.finish(rt, ending.failedState(running, e.getMessage()));
    }
    rt.errorRetries = 0;
    if (state.status().isFinal()) {
      return ending.finish(rt, state);
    }
    rt.status =
        rt.status
            .withOperation(Optional.of(operation(running, state, state.message())))
            .withConditions(
                new ConditionSet(rt.status.conditions(), clock.instant())
                    .keep("DependencyNotReady")
                    .build());
    board.publish(rt.status);
    Instant deadline = state.stepStarted().plus(options.waitTimeout()).plusSeconds(1);
    Duration untilDeadline = Duration.between(clock.instant(), deadline);
    return untilDeadline.isNegative() ? Duration.ofSeconds(1) : untilDeadline;
  }

  /**
   * Ends the running sync now as failed, for that reason: the rollback policy stops a sync still
   * running (a wave before the last waiting for health, a hook) when its time is up.
   */
  Duration stop(AppRuntime rt, String why) {
    return ending.finish(rt, ending.failedState(rt.operation, why));
  }

  /** Abandons the running sync of an application that is being removed. */
  void abandon(AppRuntime rt) {
    RunningSync running = rt.operation;
    records.finished(
        running.entry(),
        SyncResult.FAILED,
        running.operation().state().changes(),
        "abandoned: the application was removed while it synced",
        clock.instant());
    checkpoints.clear(rt.name);
    rt.operation = null;
  }

  private Operation operation(RunningSync running, SyncState state, String message) {
    return new Operation(
        running.entry().id(),
        running.trigger(),
        running.revision(),
        state.status(),
        stepLabel(running, state),
        message,
        state.changes().withoutWrittenVersions(),
        running.entry().sync().startedAt(),
        Optional.empty());
  }

  /** {@code wave 2}, or {@code step 3} when the plan cannot be read now. */
  private static String stepLabel(RunningSync running, SyncState state) {
    try {
      SyncPlan plan = running.operation().plan();
      List<SyncStep> steps = state.failure().isPresent() ? plan.failSteps() : plan.steps();
      return state.step() < steps.size() ? steps.get(state.step()).label() : "";
    } catch (TagflowException e) {
      return "step " + (state.step() + 1);
    }
  }

  private RunOptions runOptions() {
    return RunOptions.defaults().withWaitTimeout(options.waitTimeout());
  }

  /** The render key a rollback deploys: not Git's, so automation sees Git as moved once on. */
  private static String renderKeyOfHistory(HistoryEntry entry) {
    return "history:" + entry.sync().manifestsHash();
  }

  private static String describe(SyncTrigger trigger) {
    return switch (trigger) {
      case AUTOMATION -> "automated sync (Git moved)";
      case SELF_HEAL -> "self-heal (the cluster drifted)";
      case USER -> "a person";
      case ROLLBACK_POLICY -> "the rollback policy";
    };
  }
}
