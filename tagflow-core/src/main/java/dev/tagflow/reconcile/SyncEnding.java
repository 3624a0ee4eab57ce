package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.SyncPolicy;
import dev.tagflow.reconcile.AppRuntime.FailedSync;
import dev.tagflow.reconcile.AppRuntime.RunningSync;
import dev.tagflow.reconcile.ApplicationStatus.Deployed;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import dev.tagflow.store.EventType;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncState;
import dev.tagflow.sync.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an application's sync ends: recorded in history, its checkpoint cleared, the versions it
 * wrote kept for health, and the status, conditions and event that say how it went — succeeded (the
 * rollback policy's health gate set on it), needs confirmation, or failed (judged too, and a retry
 * scheduled by the Application's retry policy).
 */
final class SyncEnding {

  private static final Logger log = LoggerFactory.getLogger(SyncEnding.class);

  private final StatusBoard board;
  private final SyncRecords records;
  private final OperationCheckpoints checkpoints;
  private final Clock clock;
  private final RandomGenerator random;

  SyncEnding(
      StatusBoard board,
      SyncRecords records,
      OperationCheckpoints checkpoints,
      Clock clock,
      RandomGenerator random) {
    this.board = board;
    this.records = records;
    this.checkpoints = checkpoints;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Ends the running sync with that state: recorded in history, its checkpoint cleared, the status
   * and an event saying how it ended.
   *
   * @return when the application should reconcile next: now, so that its status shows what the sync
   *     left
   */
  Duration finish(AppRuntime rt, SyncState state) {
    RunningSync running = rt.operation;
    Instant now = clock.instant();
    SyncResult result =
        state.status() == SyncStatus.SUCCEEDED ? SyncResult.SUCCEEDED : SyncResult.FAILED;
    try {
      records.finished(running.entry(), result, state.changes(), state.message(), now);
    } catch (TagflowException e) {
      // The sync ended whatever the store says; status and the event still tell.
      log.error(
          "application={} could not record the end of sync #{}: {}",
          rt.name,
          running.entry().id(),
          e.getMessage());
    }
    checkpoints.clear(rt.name);
    rt.operation = null;
    // Health is judged from here on only on live objects at least as new as these writes.
    rt.applied = rt.applied.after(state.changes());
    ConditionSet conditions =
        new ConditionSet(rt.status.conditions(), now)
            .clear("SyncFailed")
            .clear("NeedsConfirmation")
            .clear(HealthGate.CONDITION)
            .clear(HealthGate.WATCH)
            .clear(PolicyRollback.IMPOSSIBLE)
            .keep("DependencyNotReady");
    String revision = running.revision().toString();
    switch (state.status()) {
      case SUCCEEDED -> {
        rt.failed = null;
        rt.status =
            rt.status.withDeployed(
                Optional.of(
                    new Deployed(
                        running.revision(),
                        running.renderKey(),
                        Optional.of(running.entry().id()),
                        now)));
        board.record(
            rt.name,
            revision,
            EventType.NORMAL,
            running.trigger() == SyncTrigger.SELF_HEAL ? "DriftHealed" : "SyncSucceeded",
            "sync #" + running.entry().id() + ": " + state.message());
        watchHealth(rt, running, conditions, now);
      }
      case NEEDS_CONFIRMATION -> {
        rt.failed = new FailedSync(running.renderKey(), 1, Optional.empty());
        conditions.error(
            "NeedsConfirmation",
            state.message() + " (sync with --prune --confirm-prune, or fix Git)");
        board.record(
            rt.name, revision, EventType.WARNING, "PruneNeedsConfirmation", state.message());
      }
      case FAILED, RUNNING -> {
        // A sync that failed after applying (an earlier wave timed out waiting for health, a hook
        // failed) is judged too: it applied the revision.
        watchHealth(rt, running, conditions, now);
        String retry = scheduleRetry(rt, running, now);
        conditions.error("SyncFailed", state.message() + retry);
        board.record(
            rt.name,
            revision,
            EventType.WARNING,
            "SyncFailed",
            "sync #" + running.entry().id() + " failed: " + state.message() + retry);
      }
    }
    rt.status =
        rt.status
            .withOperation(Optional.of(ended(running, state, now)))
            .withConditions(conditions.build());
    board.publish(rt.status);
    // Compare again at once: the status then shows what the sync left.
    return Duration.ZERO;
  }

  /**
   * Sets the rollback policy's health gate on a sync that deployed a revision from Git (automated
   * or asked by a person); rollbacks and heals re-apply what was there and are not judged again.
   */
  private void watchHealth(
      AppRuntime rt, RunningSync running, ConditionSet conditions, Instant now) {
    Optional<SyncPolicy.Rollback> policy = rt.application.syncPolicy().rollback();
    if (policy.isEmpty() || !PolicyRollback.gated(running)) {
      return;
    }
    rt.degradedSince = null;
    Duration settle = HealthGate.settle(policy.get());
    conditions.warning(
        HealthGate.CONDITION,
        "sync #"
            + running.entry().id()
            + " of "
            + running.revision()
            + " must be Healthy by "
            + running.entry().sync().startedAt().plus(policy.get().healthTimeout())
            + (policy.get().onDegraded()
                ? " and not stay Degraded for " + HealthGate.describe(settle)
                : "")
            + ", or the rollback policy re-applies the last Healthy revision");
  }

  /** Counts the failure and says when automation retries it, by the Application's retry policy. */
  private String scheduleRetry(AppRuntime rt, RunningSync running, Instant now) {
    boolean automated =
        running.trigger() == SyncTrigger.AUTOMATION || running.trigger() == SyncTrigger.SELF_HEAL;
    int failures =
        rt.failed != null && rt.failed.renderKey().equals(running.renderKey())
            ? rt.failed.failures() + 1
            : 1;
    Optional<RetryBackoff> policy =
        rt.application.syncPolicy().retry().map(RetryBackoff::of).filter(p -> automated);
    Optional<Duration> delay = policy.flatMap(p -> p.delay(failures, random));
    rt.failed = new FailedSync(running.renderKey(), failures, delay.map(now::plus));
    if (!automated) {
      return "";
    }
    if (delay.isPresent()) {
      return "; retry " + policy.get().describe(failures) + " in " + delay.get().toSeconds() + " s";
    }
    return policy.isPresent()
        ? "; retries used up: automated sync tries this revision again when Git moves or a person"
            + " syncs"
        : "; not retried (no syncPolicy.retry): automated sync tries again when Git moves or a"
            + " person syncs";
  }

  /** The running sync's state, failed for that reason. */
  SyncState failedState(RunningSync running, String why) {
    SyncState now = running.operation().state();
    return new SyncState(
        now.application(),
        now.revision(),
        SyncStatus.FAILED,
        now.prune(),
        now.step(),
        now.stepApplied(),
        now.stepStarted(),
        now.changes(),
        now.generatedNames(),
        Optional.of(why),
        why);
  }

  private Operation ended(RunningSync running, SyncState state, Instant now) {
    return new Operation(
        running.entry().id(),
        running.trigger(),
        running.revision(),
        state.status(),
        "",
        state.message(),
        state.changes().withoutWrittenVersions(),
        running.entry().sync().startedAt(),
        Optional.of(now));
  }
}
