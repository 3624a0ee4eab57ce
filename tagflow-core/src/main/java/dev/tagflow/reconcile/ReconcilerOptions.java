package dev.tagflow.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * How the controller runs, with defaults for all.
 *
 * @param concurrency how many applications reconcile at once: enough to keep a cluster's API busy
 *     without flooding it (Argo CD's status processors default to 20, Flux to 4 per controller)
 * @param resyncInterval how often each application is compared again without any event, as a net
 *     for an event that never came (Argo CD: 3 min)
 * @param resyncJitter the share by which each resync is randomly brought forward, so applications
 *     registered together do not resync in the same second
 * @param selfHealGrace how long drift waits before it is healed, so a burst of edits heals once and
 *     a person who scales by hand sees it before it is undone
 * @param errorBackoff retries of what is not a sync (an unreachable repository or cluster)
 * @param waitTimeout how long one wave of a sync may wait for health before the sync fails
 */
public record ReconcilerOptions(
    int concurrency,
    Duration resyncInterval,
    double resyncJitter,
    Duration selfHealGrace,
    RetryBackoff errorBackoff,
    Duration waitTimeout) {

  public ReconcilerOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
    }
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    if (resyncJitter < 0 || resyncJitter >= 1) {
      throw new IllegalArgumentException("resyncJitter must be in [0, 1): " + resyncJitter);
    }
    Objects.requireNonNull(selfHealGrace, "selfHealGrace");
    Objects.requireNonNull(errorBackoff, "errorBackoff");
    Objects.requireNonNull(waitTimeout, "waitTimeout");
  }

  /** 8 at once, resync every 3 min (up to 10 % sooner), heal after 5 s, 5 min per wave. */
  public static ReconcilerOptions defaults() {
    return new ReconcilerOptions(
        8,
        Duration.ofMinutes(3),
        0.1,
        Duration.ofSeconds(5),
        RetryBackoff.ERRORS,
        Duration.ofMinutes(5));
  }

  public ReconcilerOptions withConcurrency(int value) {
    return new ReconcilerOptions(
        value, resyncInterval, resyncJitter, selfHealGrace, errorBackoff, waitTimeout);
  }

  public ReconcilerOptions withResyncInterval(Duration value) {
    return new ReconcilerOptions(
        concurrency, value, resyncJitter, selfHealGrace, errorBackoff, waitTimeout);
  }

  public ReconcilerOptions withSelfHealGrace(Duration value) {
    return new ReconcilerOptions(
        concurrency, resyncInterval, resyncJitter, value, errorBackoff, waitTimeout);
  }

  public ReconcilerOptions withErrorBackoff(RetryBackoff value) {
    return new ReconcilerOptions(
        concurrency, resyncInterval, resyncJitter, selfHealGrace, value, waitTimeout);
  }

  public ReconcilerOptions withWaitTimeout(Duration value) {
    return new ReconcilerOptions(
        concurrency, resyncInterval, resyncJitter, selfHealGrace, errorBackoff, value);
  }
}
