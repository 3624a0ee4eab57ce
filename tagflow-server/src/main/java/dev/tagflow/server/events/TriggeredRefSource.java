package dev.tagflow.server.events;

import dev.tagflow.UrlRedaction;
import dev.tagflow.source.EventSource;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RefTracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventSource} driven by triggers (a webhook delivery, a push to the own Git server):
 * each trigger names a repository, and a refresh of all its refs turns it into {@link RefChanged}
 * events.
 *
 * <p>Triggers never name the refs themselves on purpose: GitHub sends no push event when more than
 * three tags are pushed at once, so only comparing every ref finds them all. Refreshes run off the
 * caller's thread, one at a time per repository; triggers that arrive while one runs are folded
 * into a single follow-up refresh, so a burst of pushes costs at most two ls-remotes.
 *
 * <p>The events go to this source's listener and, through the tracker, to the tracker's listeners:
 * subscribe to one or the other, not both.
 */
public final class TriggeredRefSource implements EventSource {

  private static final Logger log = LoggerFactory.getLogger(TriggeredRefSource.class);

  private final String name;
  private final RefChanged.Origin origin;
  private final RefTracker tracker;
  private final Counter triggers;
  private final Counter failures;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();
  private volatile Consumer<RefChanged> listener = event -> {};

  public TriggeredRefSource(
      String name, RefChanged.Origin origin, RefTracker tracker, MeterRegistry meters) {
    this.name = Objects.requireNonNull(name, "name");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    // RefTracker counts the events themselves (tagflow.source.events per origin); this counts
    // what set them off, so that triggers per event show how much the coalescing saves.
    this.triggers =
        Counter.builder("tagflow.source.triggers")
            .description("Triggers received (webhook deliveries, pushes), per event source")
            .tag("source", name)
            .register(meters);
    this.failures =
        Counter.builder("tagflow.source.refresh.failures")
            .description("Refreshes of a repository's refs that failed, per event source")
            .tag("source", name)
            .register(meters);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start(Consumer<RefChanged> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Asks for the refs of {@code repository} to be compared soon; returns at once. */
  public void trigger(String repository) {
    triggers.increment();
    AtomicInteger requests = pending.computeIfAbsent(repository, key -> new AtomicInteger());
    if (requests.getAndIncrement() == 0) {
      try {
        executor.execute(() -> drain(repository, requests));
      } catch (RejectedExecutionException closed) {
        log.debug("{}: closed, trigger for {} dropped", name, UrlRedaction.redact(repository));
      }
    }
  }

  private void drain(String repository, AtomicInteger requests) {
    int served;
    do {
      served = requests.get();
      refreshOnce(repository);
    } while (requests.addAndGet(-served) > 0);
  }

  private void refreshOnce(String repository) {
    List<RefChanged> changes;
    try {
      changes = tracker.refresh(repository, origin);
    } catch (RuntimeException e) {
      failures.increment();
      log.warn(
          "{}: refreshing refs of {} failed: {}",
          name,
          UrlRedaction.redact(repository),
          UrlRedaction.redact(e.getMessage()));
      return;
    }
    // RefTracker already logged each change and told its own listeners.
    for (RefChanged change : changes) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.warn(
            "{}: listener failed on {} {}: {}",
            name,
            UrlRedaction.redact(repository),
            change.ref(),
            UrlRedaction.redact(e.toString()));
      }
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
