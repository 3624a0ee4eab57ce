package dev.tagflow.reconcile;

import dev.tagflow.app.SyncPolicy.Rollback;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rollback policy's judgement of a sync that ended: is the application Healthy in time?
 *
 * <p>A sync ends when its last wave is applied and its hooks have finished, without waiting for
 * that wave's health (see {@code dev.tagflow.sync}): the gate is what judges the application's
 * health afterwards. A sync that ended (succeeded, or failed in an earlier wave or a hook after it
 * applied something) is watched until the application is Healthy (or Suspended: a paused rollout or
 * suspended CronJob is what its author asked for), which passes it: a later Degraded is an
 * incident, not a bad revision, and is not rolled back — as Argo Rollouts judges a rollout only
 * until it is fully promoted and Flux's helm-controller remediates only a release whose upgrade
 * failed — unless the policy asks for it with {@code onDegradedAfterHealthy} ({@link
 * #afterPassed}). Health is judged only on live objects at least as new as what the sync wrote
 * ({@link AppliedVersions}): a cache that still holds the objects from before the apply reads
 * Progressing, so it can neither pass nor fail the gate. It fails when
 *
 * <ul>
 *   <li>the application is not Healthy {@code healthTimeout} after the sync started, whatever it is
 *       (Progressing forever, as a Deployment whose Pods never become ready, fails here; a sync
 *       still running then — waiting for an earlier wave's health or a hook — is stopped by {@link
 *       PolicyRollback}), or
 *   <li>with {@code onDegraded}, it has been Degraded, without a break, for {@link
 *       #DEGRADED_SETTLE} (or {@code healthTimeout}, when shorter).
 * </ul>
 *
 * <p>Why Degraded must persist: an object may be Degraded for a moment in a normal rollout — a Pod
 * crashes once while a dependency starts. A new HorizontalPodAutoscaler waiting for its Pods' first
 * metrics is not such a case: its health check calls that Progressing, by what the autoscaler says
 * (no sample yet), not by how long it lasts, so the gate does not depend on the metrics pipeline
 * being faster than this settle period. Progressing is never a failure before the timeout: a
 * rollout under way is Progressing. Flux's helm-controller likewise remediates only when the
 * release failed — its wait for readiness timed out — never on a passing status, and Argo Rollouts
 * aborts on a failure that lasts (an analysis past its failure limit, the progress deadline), not
 * on the first bad sample.
 */
final class HealthGate {

  /** How long Degraded must last before {@code onDegraded} rolls back. */
  static final Duration DEGRADED_SETTLE = Duration.ofSeconds(60);

  /**
   * The condition that says a sync is being watched, kept until it passes, fails or another ends.
   */
  static final String CONDITION = "HealthGate";

  /**
   * The condition that says a sync that passed is still watched for a lasting Degraded ({@code
   * onDegradedAfterHealthy}), kept until it fails or another sync ends.
   */
  static final String WATCH = "HealthWatch";

  /** What the gate says now. */
  sealed interface Verdict {
    /** Healthy: the sync passed. */
    record Passed() implements Verdict {}

    /** Not decided yet: judge again within {@code next} (a health change comes sooner). */
    record Waiting(Duration next) implements Verdict {}

    /** The sync failed the gate: roll back, for this reason. */
    record Failed(String why) implements Verdict {}
  }

  private HealthGate() {}

  /**
   * Judges the ended sync.
   *
   * @param degradedSince since when the application has been Degraded without a break, if it is
   */
  static Verdict judge(
      Rollback policy,
      Operation sync,
      HealthStatus health,
      Optional<Instant> degradedSince,
      Instant now) {
    if (health.health() == Health.HEALTHY || health.health() == Health.SUSPENDED) {
      return new Verdict.Passed();
    }
    Instant deadline = deadline(policy, sync);
    if (!now.isBefore(deadline)) {
      return new Verdict.Failed(
          "not Healthy within "
              + describe(policy.healthTimeout())
              + " after sync #"
              + sync.historyId()
              + " started ("
              + health.health().displayName()
              + (health.message().isEmpty() ? "" : ": " + health.message())
              + ")");
    }
    Instant judgeAt = deadline;
    if (policy.onDegraded() && health.health() == Health.DEGRADED && degradedSince.isPresent()) {
      Instant settled = degradedSince.get().plus(settle(policy));
      if (!now.isBefore(settled)) {
        return new Verdict.Failed(
            "Degraded for "
                + describe(Duration.between(degradedSince.get(), now))
                + " after sync #"
                + sync.historyId()
                + (health.message().isEmpty() ? "" : " (" + health.message() + ")"));
      }
      judgeAt = settled.isBefore(judgeAt) ? settled : judgeAt;
    }
    // A moment after the instant, so that the reconcile then finds it passed.
    return new Verdict.Waiting(Duration.between(now, judgeAt).plusMillis(200));
  }

  /**
   * Judges a sync that passed, for a policy with {@code onDegradedAfterHealthy}: it fails once the
   * application has been Degraded without a break for {@link #DEGRADED_SETTLE} (or {@code
   * healthTimeout}, when shorter); anything else passes again, and no timeout applies.
   *
   * @param degradedSince since when the application has been Degraded without a break, if it is
   */
  static Verdict afterPassed(
      Rollback policy,
      Operation sync,
      HealthStatus health,
      Optional<Instant> degradedSince,
      Instant now) {
    if (health.health() != Health.DEGRADED || degradedSince.isEmpty()) {
      return new Verdict.Passed();
    }
    Instant settled = degradedSince.get().plus(settle(policy));
    if (now.isBefore(settled)) {
      return new Verdict.Waiting(Duration.between(now, settled).plusMillis(200));
    }
    return new Verdict.Failed(
        "Degraded for "
            + describe(Duration.between(degradedSince.get(), now))
            + " after sync #"
            + sync.historyId()
            + " had passed its health gate"
            + (health.message().isEmpty() ? "" : " (" + health.message() + ")"));
  }

  /** How long Degraded must last to fail: {@link #DEGRADED_SETTLE}, or a shorter timeout. */
  static Duration settle(Rollback policy) {
    return policy.healthTimeout().compareTo(DEGRADED_SETTLE) < 0
        ? policy.healthTimeout()
        : DEGRADED_SETTLE;
  }

  /**
   * When the sync must be Healthy by: {@code healthTimeout} after it started, so that the time its
   * earlier waves waited for health counts too.
   */
  static Instant deadline(Rollback policy, Operation sync) {
    return sync.startedAt().plus(policy.healthTimeout());
  }

  /** {@code 2m}, {@code 45s}, {@code 1m30s}. */
  static String describe(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    long rest = seconds % 60;
    return minutes + "m" + (rest == 0 ? "" : rest + "s");
  }
}
