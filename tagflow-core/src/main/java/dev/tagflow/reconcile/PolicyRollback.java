package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.SyncPolicy.Rollback;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.BlockedRevision;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import dev.tagflow.source.GitRevert;
import dev.tagflow.source.Revision;
import dev.tagflow.store.EventType;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncTrigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The health-gated rollback policy ({@code syncPolicy.rollback}) at work. After each reconcile's
 * comparison it asks the {@link HealthGate} about the last sync; when that sync failed the gate:
 *
 * <ol>
 *   <li>its commit is blocked for automated sync ({@code RevisionBlocked}; a newer commit is not);
 *   <li>the newest earlier sync that ended Healthy is applied again, exactly its recorded
 *       manifests, as a sync started by {@link SyncTrigger#ROLLBACK_POLICY}; automated sync stays
 *       on (a person's rollback turns it off);
 *   <li>with {@code revertCommit}, a commit pushed to the branch the application follows puts its
 *       path back to the good commit's files ({@link GitRevert}), so Git tells the truth again and
 *       the next reconcile is Synced at the new head.
 * </ol>
 *
 * <p>A sync that passed is judged no more (a later Degraded is an incident, not a bad revision),
 * unless the policy has {@code onDegradedAfterHealthy}: then the {@code HealthWatch} condition
 * stays until the next sync, and a Degraded that lasts {@link HealthGate#settle} rolls it back the
 * same way (to the newest sync before it that ended Healthy).
 *
 * <p>Each step is an event ({@code HealthGateFailed}, {@code RevisionBlocked}, {@code
 * RollbackStarted}, {@code RevertCommitted} or {@code RevertFailed}) and the {@code RolledBack}
 * condition says what was done until a later sync passes the gate.
 */
final class PolicyRollback {

  static final String ROLLED_BACK = "RolledBack";
  static final String REVERT_FAILED = "RevertFailed";
  static final String IMPOSSIBLE = "RollbackImpossible";

  private final StatusBoard board;
  private final SyncRunner runner;
  private final SyncRecords records;
  private final Optional<GitRevert> git;
  private final Clock clock;

  /**
   * @param git writes revert commits; without it {@code revertCommit: true} is reported as failed
   */
  PolicyRollback(
      StatusBoard board,
      SyncRunner runner,
      SyncRecords records,
      Optional<GitRevert> git,
      Clock clock) {
    this.board = board;
    this.runner = runner;
    this.records = records;
    this.git = git;
    this.clock = clock;
  }

  /**
   * What the check came to.
   *
   * @param next when the gate wants to judge again, if it watches a sync
   * @param rolledBack whether a rollback started: the reconcile then ends with {@code next}
   */
  record Outcome(Optional<Duration> next, boolean rolledBack) {
    static Outcome none() {
      return new Outcome(Optional.empty(), false);
    }
  }

  /**
   * Judges the running sync: one that deploys a revision from Git and is still running (an earlier
   * wave waiting for health, a hook) when {@code healthTimeout} has passed since it started is
   * stopped (failed) and rolled back.
   */
  Outcome checkRunning(AppRuntime rt, ApplicationSync sync, Instant now) {
    Optional<Rollback> policy = rt.application.syncPolicy().rollback();
    AppRuntime.RunningSync running = rt.operation;
    if (policy.isEmpty() || running == null || !gated(running)) {
      return Outcome.none();
    }
    Instant deadline = running.entry().sync().startedAt().plus(policy.get().healthTimeout());
    if (now.isBefore(deadline)) {
      return new Outcome(Optional.of(Duration.between(now, deadline).plusMillis(200)), false);
    }
    String waits = running.operation().state().message();
    String why =
        "not Healthy within "
            + HealthGate.describe(policy.get().healthTimeout())
            + " after sync #"
            + running.entry().id()
            + " started"
            + (waits.isEmpty() ? "" : " (" + waits + ")");
    runner.stop(rt, "stopped by the rollback policy: " + why);
    Operation bad = rt.status.operation().orElseThrow();
    ConditionSet conditions = new ConditionSet(rt.status.conditions(), now).keepAll();
    Outcome outcome = rollBack(rt, sync, policy.get(), bad, why, conditions, now);
    if (!outcome.rolledBack()) {
      // Nothing to roll back to: the sync is stopped all the same, and the status says why.
      rt.status = rt.status.withConditions(conditions.build());
      board.publish(rt.status);
      return new Outcome(Optional.of(Duration.ZERO), true);
    }
    return outcome;
  }

  /** Whether the health gate judges this sync: one that deploys a revision from Git. */
  static boolean gated(AppRuntime.RunningSync running) {
    return running.rollbackOf().isEmpty()
        && (running.trigger() == SyncTrigger.AUTOMATION || running.trigger() == SyncTrigger.USER);
  }

  /** Judges the last sync by the application's health now, and rolls it back if it failed. */
  Outcome check(
      AppRuntime rt,
      ApplicationSync sync,
      HealthStatus health,
      ConditionSet conditions,
      Instant now) {
    Optional<Rollback> policy = rt.application.syncPolicy().rollback();
    Optional<Operation> last = rt.status.operation();
    if (policy.isEmpty()) {
      conditions.clear(HealthGate.CONDITION).clear(HealthGate.WATCH);
      rt.degradedSince = null;
      return Outcome.none();
    }
    boolean gate = rt.status.condition(HealthGate.CONDITION).isPresent();
    boolean watch =
        policy.get().onDegradedAfterHealthy() && rt.status.condition(HealthGate.WATCH).isPresent();
    if (last.isEmpty() || !last.get().phase().isFinal() || !(gate || watch)) {
      conditions.clear(HealthGate.WATCH);
      rt.degradedSince = null;
      return Outcome.none();
    }
    if (health.health() != Health.DEGRADED) {
      rt.degradedSince = null;
    } else if (rt.degradedSince == null) {
      rt.degradedSince = now;
    }
    Optional<Instant> degradedSince = Optional.ofNullable(rt.degradedSince);
    if (!gate) {
      return switch (HealthGate.afterPassed(policy.get(), last.get(), health, degradedSince, now)) {
        case HealthGate.Verdict.Passed passed -> Outcome.none();
        case HealthGate.Verdict.Waiting waiting -> new Outcome(Optional.of(waiting.next()), false);
        case HealthGate.Verdict.Failed failed ->
            rollBack(rt, sync, policy.get(), last.get(), failed.why(), conditions, now);
      };
    }
    HealthGate.Verdict verdict =
        HealthGate.judge(policy.get(), last.get(), health, degradedSince, now);
    return switch (verdict) {
      case HealthGate.Verdict.Passed passed -> {
        conditions.clear(HealthGate.CONDITION).clear(ROLLED_BACK).clear(REVERT_FAILED);
        if (policy.get().onDegradedAfterHealthy()) {
          conditions.warning(
              HealthGate.WATCH,
              "sync #"
                  + last.get().historyId()
                  + " passed its health gate; until the next sync, the rollback policy"
                  + " re-applies the last Healthy revision before it if the application stays"
                  + " Degraded for "
                  + HealthGate.describe(HealthGate.settle(policy.get()))
                  + " (onDegradedAfterHealthy)");
        }
        board.record(
            rt.name,
            last.get().revision().toString(),
            EventType.NORMAL,
            "HealthGatePassed",
            "sync #"
                + last.get().historyId()
                + " is "
                + health.health().displayName()
                + ": the rollback policy keeps it");
        yield Outcome.none();
      }
      case HealthGate.Verdict.Waiting waiting -> new Outcome(Optional.of(waiting.next()), false);
      case HealthGate.Verdict.Failed failed ->
          rollBack(rt, sync, policy.get(), last.get(), failed.why(), conditions, now);
    };
  }

  private Outcome rollBack(
      AppRuntime rt,
      ApplicationSync sync,
      Rollback policy,
      Operation bad,
      String why,
      ConditionSet conditions,
      Instant now) {
    rt.degradedSince = null;
    conditions.clear(HealthGate.CONDITION).clear(HealthGate.WATCH);
    String badRevision = bad.revision().toString();
    board.record(rt.name, badRevision, EventType.WARNING, "HealthGateFailed", why);
    block(rt, bad.revision().commit(), why + " (sync #" + bad.historyId() + ")", now);
    Optional<HistoryEntry> badEntry = records.get(rt.name, bad.historyId());
    Optional<HistoryEntry> good = badEntry.flatMap(records::lastHealthyBefore);
    if (good.isEmpty()) {
      String message =
          why
              + "; no earlier sync in the history ended Healthy, so there is nothing to roll back"
              + " to: fix Git (automated sync skips "
              + shortCommit(bad.revision().commit())
              + ")";
      conditions.warning(IMPOSSIBLE, message);
      board.record(rt.name, badRevision, EventType.WARNING, IMPOSSIBLE, message);
      return Outcome.none();
    }
    HistoryEntry target = good.get();
    String rolledBack =
        "sync #"
            + bad.historyId()
            + " of "
            + badRevision
            + " was "
            + why
            + "; re-applied sync #"
            + target.id()
            + " ("
            + target.sync().requestedRef()
            + " "
            + shortCommit(target.sync().commit())
            + ") and blocked "
            + shortCommit(bad.revision().commit())
            + " for automated sync";
    conditions.warning(ROLLED_BACK, rolledBack).clear(REVERT_FAILED).clear(IMPOSSIBLE);
    rt.status = rt.status.withConditions(conditions.build());
    Duration next;
    try {
      next = runner.rollback(rt, sync, target.id(), SyncTrigger.ROLLBACK_POLICY, why);
    } catch (TagflowException e) {
      board.record(rt.name, badRevision, EventType.WARNING, "RollbackFailed", e.getMessage());
      return new Outcome(Optional.of(Duration.ofSeconds(5)), true);
    }
    if (policy.revertCommit()) {
      revert(rt, sync, target, bad, why, rolledBack);
    }
    return new Outcome(Optional.of(next), true);
  }

  /** Blocks the bad commit for automated sync, in the status that is stored. */
  private void block(AppRuntime rt, String commit, String reason, Instant now) {
    Automation automation = rt.status.automation();
    if (automation.isBlocked(commit)) {
      return;
    }
    List<BlockedRevision> blocked = new ArrayList<>(automation.blocked());
    blocked.add(new BlockedRevision(commit, reason, now));
    rt.status = rt.status.withAutomation(automation.withBlocked(blocked));
    board.record(
        rt.name,
        commit,
        EventType.WARNING,
        "RevisionBlocked",
        "automated sync will not apply " + commit + ": " + reason + "; a newer commit will");
  }

  /** Puts Git back on the good revision by a commit, and says how it went. */
  private void revert(
      AppRuntime rt,
      ApplicationSync sync,
      HistoryEntry good,
      Operation bad,
      String why,
      String rolledBack) {
    String badRevision = bad.revision().toString();
    Optional<String> failure = Optional.empty();
    String done = "";
    Optional<String> branch = branch(rt, sync);
    if (git.isEmpty()) {
      failure = Optional.of("this controller was started without a Git writer");
    } else if (branch.isEmpty()) {
      failure =
          Optional.of(
              "targetRevision '"
                  + rt.application.source().targetRevision()
                  + "' is not a branch, so there is nowhere to push a revert (follow a branch, or"
                  + " set revertCommit: false)");
    } else {
      try {
        GitRevert.Result result =
            git.get()
                .revert(
                    rt.application.source().repoURL(),
                    branch.get(),
                    rt.application.source().path(),
                    good.sync().commit(),
                    bad.revision().commit(),
                    "Roll back "
                        + rt.name
                        + " to "
                        + shortCommit(good.sync().commit())
                        + " (Tagflow rollback policy)",
                    "Sync #"
                        + bad.historyId()
                        + " of "
                        + bad.revision().commit()
                        + " was "
                        + why
                        + ".\nTagflow re-applied sync #"
                        + good.id()
                        + " ("
                        + good.sync().commit()
                        + ") and puts "
                        + rt.application.source().path()
                        + " back to it so that Git tells what runs.");
        done = result.message();
        board.record(
            rt.name,
            badRevision,
            EventType.NORMAL,
            result.commit().isPresent() ? "RevertCommitted" : "RevertSkipped",
            "on "
                + branch.get()
                + ": "
                + result.message()
                + (result.attempts() > 1 ? " (" + result.attempts() + " pushes)" : ""));
      } catch (TagflowException e) {
        failure = Optional.of(e.getMessage());
      }
    }
    ConditionSet conditions = new ConditionSet(rt.status.conditions(), clock.instant()).keepAll();
    if (failure.isPresent()) {
      String message =
          "the revert commit for "
              + badRevision
              + " was not made: "
              + failure.get()
              + "; Git still names the bad revision, which stays blocked";
      conditions.error(REVERT_FAILED, message);
      board.record(rt.name, badRevision, EventType.WARNING, REVERT_FAILED, message);
    } else {
      conditions.warning(ROLLED_BACK, rolledBack + "; Git: " + done);
    }
    rt.status = rt.status.withConditions(conditions.build());
    board.publish(rt.status);
  }

  /** The branch the application follows, if it follows one. */
  private static Optional<String> branch(AppRuntime rt, ApplicationSync sync) {
    ApplicationRun run = sync.newRun(rt.application, RunOptions.defaults(), Optional.empty());
    if (run.through(List.of(sync.source(false))).isPresent()) {
      return Optional.empty();
    }
    Optional<Revision> revision = run.revision();
    if (revision.isEmpty()) {
      return Optional.empty();
    }
    Revision r = revision.get();
    if (r.kind() != Revision.Kind.BRANCH && r.kind() != Revision.Kind.HEAD) {
      return Optional.empty();
    }
    return r.ref()
        .filter(ref -> ref.startsWith("refs/heads/"))
        .map(ref -> ref.substring("refs/heads/".length()));
  }

  private static String shortCommit(String commit) {
    return commit.substring(0, Math.min(12, commit.length()));
  }
}
