package dev.tagflow.reconcile;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.BlockedRevision;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.store.EventType;
import dev.tagflow.store.SyncTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What automation does about an application that is out of sync: Git moved and the policy is
 * automated (unless the commit is blocked, a failed sync of it waits for its retry, or a dependency
 * is not ready), or the cluster drifted and {@code selfHeal} heals it once the drift is older than
 * the grace period (without it the drift is reported and left alone). Either waits while the
 * project's sync windows keep automation out ({@code SyncWindowClosed}, and a reconcile when they
 * open).
 */
final class AutomatedSync {

  private static final Logger log = LoggerFactory.getLogger(AutomatedSync.class);

  private final Destinations destinations;
  private final StatusBoard board;
  private final Dependencies dependencies;
  private final ReconcilerOptions options;
  private final Resync resync;

  AutomatedSync(
      Destinations destinations,
      StatusBoard board,
      Dependencies dependencies,
      ReconcilerOptions options,
      Resync resync) {
    this.destinations = destinations;
    this.board = board;
    this.dependencies = dependencies;
    this.options = options;
    this.resync = resync;
  }

  /**
   * Decides about an out-of-sync application.
   *
   * @param gitMoved the render key differs from the deployed one (else the cluster drifted)
   */
  Decision decide(
      AppRuntime rt,
      ApplicationSync sync,
      ObjectStatuses objects,
      Rendered rendered,
      GitRevision revision,
      boolean gitMoved,
      ConditionSet conditions,
      Instant now) {
    Decision decision =
        gitMoved
            ? whenGitMoved(rt, rendered, revision, conditions, now)
            : whenDrifted(rt, sync, objects, revision, conditions, now);
    if (decision.trigger().isEmpty()) {
      return decision;
    }
    Optional<Duration> opens =
        windowClosed(rt, decision.trigger().get(), revision, conditions, now);
    return opens
        .map(o -> Decision.none(o.compareTo(decision.next()) <= 0 ? o : decision.next()))
        .orElse(decision);
  }

  /**
   * What automation does about an out-of-sync application: a sync to start, and when to look again.
   */
  record Decision(Optional<SyncTrigger> trigger, Duration next) {
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
      return Decision.none(resync.next());
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
      return Decision.none(resync.next());
    }
    Optional<Duration> retryWait = retryWait(rt, rendered, now);
    if (retryWait.isPresent()) {
      conditions.keep("SyncFailed");
      return Decision.none(retryWait.get());
    }
    Optional<String> blocked = dependencies.blocking(rt.application);
    if (blocked.isPresent()) {
      conditions.warning("DependencyNotReady", blocked.get());
      return Decision.none(resync.next());
    }
    return new Decision(Optional.of(SyncTrigger.AUTOMATION), resync.next());
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
      return Decision.none(resync.next());
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
      return Decision.none(resync.next());
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
      return Decision.none(resync.next());
    }
    return new Decision(Optional.of(SyncTrigger.SELF_HEAL), resync.next());
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
            .map(d -> min(d, resync.next()))
            .orElse(resync.next()));
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
      return Optional.of(resync.next());
    }
    Duration left = Duration.between(now, rt.failed.retryAt().get());
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
