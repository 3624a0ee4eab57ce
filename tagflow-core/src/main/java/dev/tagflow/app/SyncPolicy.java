package dev.tagflow.app;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When and how an application's manifests are applied.
 *
 * @param automated sync on every change of Git (and heal drift) when present; manual otherwise
 * @param options typed {@code syncOptions}
 * @param retry how a failed sync is retried; not retried when empty
 * @param rollback what happens when a synced revision turns out unhealthy; nothing when empty
 */
public record SyncPolicy(
    Optional<Automated> automated,
    SyncPolicyOptions options,
    Optional<Retry> retry,
    Optional<Rollback> rollback) {

  public SyncPolicy {
    Objects.requireNonNull(automated, "automated");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(rollback, "rollback");
  }

  /** A manual policy with default options: what an application without {@code syncPolicy} has. */
  public static SyncPolicy manual() {
    return new SyncPolicy(
        Optional.empty(), SyncPolicyOptions.defaults(), Optional.empty(), Optional.empty());
  }

  /**
   * Automated sync.
   *
   * @param prune delete objects that left Git (never without this)
   * @param selfHeal re-apply Git's state when a live object drifts
   * @param allowEmpty allow a sync to a revision with no manifests, which prunes everything; off by
   *     default because an empty render is more often a mistake than a wish
   */
  public record Automated(boolean prune, boolean selfHeal, boolean allowEmpty) {}

  /**
   * Retries of a failed sync, waiting {@code duration × factor^n}, at most {@code maxDuration}.
   *
   * @param limit how many retries; negative for no limit
   */
  public record Retry(int limit, Backoff backoff) {
    public Retry {
      Objects.requireNonNull(backoff, "backoff");
    }
  }

  /**
   * The wait between retries.
   *
   * @param duration the first wait
   * @param factor what each further wait is multiplied by
   * @param maxDuration the longest wait
   */
  public record Backoff(Duration duration, double factor, Duration maxDuration) {
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(3));

    public Backoff {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(maxDuration, "maxDuration");
    }
  }

  /**
   * Rolling back an unhealthy rollout: a sync that is not Healthy within {@code healthTimeout} of
   * its end is rolled back to the last revision that was Healthy, and its commit is blocked for
   * automated sync.
   *
   * @param onDegraded also roll back, before the timeout, when the application stays Degraded (for
   *     a settle period: a new HPA is Degraded until its first metrics)
   * @param healthTimeout how long after a sync the application has to become Healthy
   * @param revertCommit also commit the rollback to the environment repository (a revert, or the
   *     good files), so Git still tells the truth
   * @param onDegradedAfterHealthy also roll back a sync that passed (was Healthy) when the
   *     application later stays Degraded for the settle period, until the next sync; off by
   *     default, because a later Degraded is more often an incident (a node lost, a dependency
   *     down) than a bad revision
   */
  public record Rollback(
      boolean onDegraded,
      Duration healthTimeout,
      boolean revertCommit,
      boolean onDegradedAfterHealthy) {
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(5);

    /** The shortest {@code healthTimeout} accepted. */
    public static final Duration SHORTEST_HEALTH_TIMEOUT = Duration.ofSeconds(5);

    public Rollback {
      Objects.requireNonNull(healthTimeout, "healthTimeout");
    }

    /** A policy that stops judging a sync once it passed. */
    public Rollback(boolean onDegraded, Duration healthTimeout, boolean revertCommit) {
      this(onDegraded, healthTimeout, revertCommit, false);
    }
  }
}
