package dev.tagflow.source;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls repositories for moved refs: each on its own interval (3 minutes unless told), shifted by a
 * random jitter so that many repositories do not hit one Git host in the same second.
 *
 * <p>A poll is one ls-remote through the {@link RefTracker}. The mirror is fetched only when that
 * shows something moved, or when the mirror lags the refs already seen (a webhook noticed first):
 * an idle repository costs one ls-remote per interval and no fetch. Changes go to the listener
 * after the fetch, so whoever hears of a commit can read it.
 */
public final class GitPoller implements EventSource {

  private static final Logger log = LoggerFactory.getLogger(GitPoller.class);

  /**
   * @param interval how often a repository is polled unless {@link #watch(String, Duration)} says
   * @param jitter the fraction of the interval by which each wait is randomly shortened or
   *     lengthened (0.1 = ±10%)
   */
  public record Options(Duration interval, double jitter) {
    public static final Options DEFAULTS = new Options(Duration.ofMinutes(3), 0.1);

    public Options {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("the poll interval must be positive: " + interval);
      }
      if (jitter < 0 || jitter >= 1) {
        throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
      }
    }
  }

  private final RefTracker tracker;
  private final RepoCache cache;
  private final Options options;
  private final RandomGenerator random;
  private final Map<String, Duration> watched = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("git-poller").factory());
  // Polls wait on the network; one virtual thread each keeps the scheduler free.
  private final ExecutorService polls = Executors.newVirtualThreadPerTaskExecutor();
  private volatile Consumer<RefChanged> listener;

  public GitPoller(RefTracker tracker, RepoCache cache, Options options, RandomGenerator random) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.options = Objects.requireNonNull(options, "options");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public String name() {
    return "poll";
  }

  /** Polls a repository at the default interval from now on. */
  public void watch(String repository) {
    watch(repository, options.interval());
  }

  /** Polls a repository at its own interval from now on. */
  public void watch(String repository, Duration interval) {
    boolean added = watched.put(repository, interval) == null;
    if (added && listener != null) {
      schedule(repository, Duration.ZERO);
    }
  }

  /** Stops polling a repository (a poll already running finishes). */
  public void unwatch(String repository) {
    watched.remove(repository);
  }

  /**
   * Polls exactly these repositories from now on: new ones at the default interval, starting now;
   * ones not named any more are no longer polled. For a list that changes while Tagflow runs.
   */
  public void watchExactly(Collection<String> repositories) {
    Set<String> wanted = Set.copyOf(repositories);
    watched.keySet().removeIf(repository -> !wanted.contains(repository));
    wanted.forEach(this::watch);
  }

  /**
   * Polls exactly these repositories from now on, each at its own interval: new ones starting now,
   * ones not named any more no longer, and a changed interval from the next poll on. For a
   * configuration that changes while Tagflow runs.
   */
  public void watchExactly(Map<String, Duration> repositories) {
    watched.keySet().removeIf(repository -> !repositories.containsKey(repository));
    repositories.forEach(this::watch);
  }

  @Override
  public void start(Consumer<RefChanged> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    for (String repository : watched.keySet()) {
      // The first poll right away sets the baseline and fills the mirror.
      schedule(repository, Duration.ZERO);
    }
  }

  /**
   * Polls one repository now and returns what moved; called by the schedule, and by anyone who
   * wants an answer without waiting for it.
   *
   * @throws TagflowException (FAILED) when the repository cannot be reached
   */
  public List<RefChanged> poll(String repository) {
    List<RefChanged> changes = tracker.refresh(repository, RefChanged.Origin.POLL);
    if (!changes.isEmpty() || mirrorLags(repository)) {
      cache.fetch(repository);
    }
    Consumer<RefChanged> target = listener;
    if (target != null) {
      changes.forEach(target);
    }
    return changes;
  }

  private boolean mirrorLags(String repository) {
    Optional<Map<String, String>> seen = tracker.lastSeen(repository);
    RepoStatus status = cache.status(repository);
    return status.lastFetched().isEmpty() || seen.map(s -> !s.equals(status.refs())).orElse(false);
  }

  private void schedule(String repository, Duration delay) {
    if (scheduler.isShutdown()) {
      return;
    }
    scheduler.schedule(
        () -> polls.execute(() -> pollAndReschedule(repository)),
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void pollAndReschedule(String repository) {
    Duration interval = watched.get(repository);
    if (interval == null) {
      return;
    }
    try {
      poll(repository);
    } catch (TagflowException e) {
      // Already on the repository's status and in the fetch-failure metric; try again next time.
      log.warn("poll of {} failed: {}", UrlRedaction.redact(repository), e.getMessage());
    } catch (RuntimeException e) {
      log.error("poll of {} failed unexpectedly", UrlRedaction.redact(repository), e);
    }
    schedule(repository, withJitter(interval));
  }

  private Duration withJitter(Duration interval) {
    double factor = 1 + options.jitter() * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.max(1, Math.round(interval.toMillis() * factor)));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    polls.shutdownNow();
    try {
      polls.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
