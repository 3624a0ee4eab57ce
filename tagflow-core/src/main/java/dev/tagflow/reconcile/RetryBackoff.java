package dev.tagflow.reconcile;

import dev.tagflow.app.SyncPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the n-th retry: {@code duration × factor^(n-1)}, at most {@code
 * maxDuration}, shortened by a random share of up to {@code jitter} so that applications failing
 * together (one cluster down) do not retry in the same second. The jitter only shortens: a wait is
 * never longer than the Application's {@code maxDuration}.
 *
 * @param limit how many retries; negative for no limit (Argo CD's {@code limit: -1})
 * @param duration the first wait
 * @param factor what each further wait is multiplied by
 * @param maxDuration the longest wait
 * @param jitter the largest share a wait is shortened by (0.2: up to 20 %)
 */
public record RetryBackoff(
    int limit, Duration duration, double factor, Duration maxDuration, double jitter) {

  /** Retries of what is not a sync (an unreachable repository, a cluster that does not answer). */
  public static final RetryBackoff ERRORS =
      new RetryBackoff(-1, Duration.ofSeconds(5), 2, Duration.ofMinutes(5), 0.2);

  public RetryBackoff {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (duration.isNegative() || maxDuration.isNegative()) {
      throw new IllegalArgumentException("backoff durations must not be negative");
    }
    if (factor < 1) {
      throw new IllegalArgumentException("the backoff factor must be at least 1, not " + factor);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
  }

  /** An Application's {@code syncPolicy.retry}, with the controller's jitter. */
  public static RetryBackoff of(SyncPolicy.Retry retry) {
    SyncPolicy.Backoff backoff = retry.backoff();
    return new RetryBackoff(
        retry.limit(), backoff.duration(), backoff.factor(), backoff.maxDuration(), 0.2);
  }

  /** Whether the n-th retry (from 1) is allowed. */
  public boolean allows(int retry) {
    return limit < 0 || retry <= limit;
  }

  /** The wait before the n-th retry (from 1) without jitter. */
  public Duration base(int retry) {
    double millis = duration.toMillis() * Math.pow(factor, Math.max(0, retry - 1));
    long capped = (long) Math.min(millis, (double) maxDuration.toMillis());
    return Duration.ofMillis(capped);
  }

  /**
   * The wait before the n-th retry (from 1), jittered.
   *
   * @return empty when the limit is used up
   */
  public Optional<Duration> delay(int retry, RandomGenerator random) {
    if (!allows(retry)) {
      return Optional.empty();
    }
    long base = base(retry).toMillis();
    return Optional.of(Duration.ofMillis(base - Math.round(base * jitter * random.nextDouble())));
  }

  /** {@code 2 of 5}, or {@code 2} without a limit. */
  public String describe(int retry) {
    return limit < 0 ? String.valueOf(retry) : retry + " of " + limit;
  }
}
