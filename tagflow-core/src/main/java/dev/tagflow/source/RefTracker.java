package dev.tagflow.source;

import dev.tagflow.UrlRedaction;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers where the branches and tags of each repository pointed, and turns a fresh ls-remote
 * into one {@link RefChanged} per created, moved or deleted ref.
 *
 * <p>Every trigger (a poll, a webhook, a push to our own Git server) calls {@link #refresh} for the
 * whole repository rather than trusting the ref the trigger named: GitHub sends no push event at
 * all when more than three tags are pushed at once, and two triggers for one push must not yield
 * the same event twice. Refreshes of one repository run one at a time, so each change is reported
 * once, by whichever source noticed it first.
 */
public final class RefTracker {

  private static final Logger log = LoggerFactory.getLogger(RefTracker.class);

  private final RemoteAccess remotes;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Map<String, Tracked> repositories = new ConcurrentHashMap<>();
  private final List<Consumer<RefChanged>> listeners = new CopyOnWriteArrayList<>();

  public RefTracker(RemoteAccess remotes, MeterRegistry meters, Clock clock) {
    this.remotes = Objects.requireNonNull(remotes, "remotes");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Compares all refs the repository advertises now with the ones seen last time, reports each
   * difference to the listeners, and returns them.
   *
   * <p>The first refresh of a repository only records a baseline and returns nothing, since Tagflow
   * cannot know which of the existing refs are news; call {@link #track} first to choose another
   * baseline (an empty one reports every existing ref as created).
   *
   * @throws dev.tagflow.TagflowException (FAILED) when the repository cannot be reached; what was
   *     seen before is kept
   */
  public List<RefChanged> refresh(String repository, RefChanged.Origin origin) {
    Tracked tracked = repositories.computeIfAbsent(repository, key -> new Tracked());
    tracked.lock.lock();
    try {
      Map<String, String> now = remotes.advertisedRefs(repository);
      Map<String, String> before = tracked.refs;
      tracked.refs = Map.copyOf(now);
      if (before == null) {
        log.info(
            "tracking {}: baseline of {} refs ({})",
            UrlRedaction.redact(repository),
            now.size(),
            origin);
        return List.of();
      }
      List<RefChanged> changes = differences(repository, origin, before, now);
      for (RefChanged change : changes) {
        emit(change);
      }
      return changes;
    } finally {
      tracked.lock.unlock();
    }
  }

  /**
   * Sets the refs Tagflow already knows for a repository, replacing any baseline: a repository
   * Tagflow just created starts from {@code Map.of()}, so its first push is reported in full.
   */
  public void track(String repository, Map<String, String> knownRefs) {
    Tracked tracked = repositories.computeIfAbsent(repository, key -> new Tracked());
    tracked.lock.lock();
    try {
      tracked.refs = Map.copyOf(knownRefs);
    } finally {
      tracked.lock.unlock();
    }
  }

  /** The refs seen at the last refresh (full ref name → commit), if there was one. */
  public Optional<Map<String, String>> lastSeen(String repository) {
    Tracked tracked = repositories.get(repository);
    return tracked == null ? Optional.empty() : Optional.ofNullable(tracked.refs);
  }

  /**
   * Registers a listener for every change any refresh finds, whatever triggered it. Listeners run
   * on the refreshing thread while that repository is locked, so they see one repository's changes
   * in order and must hand long work to another thread.
   */
  public void addListener(Consumer<RefChanged> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Consumer<RefChanged> listener) {
    listeners.remove(listener);
  }

  private List<RefChanged> differences(
      String repository,
      RefChanged.Origin origin,
      Map<String, String> before,
      Map<String, String> now) {
    var seenAt = clock.instant();
    var names = new TreeSet<String>(before.keySet());
    names.addAll(now.keySet());
    List<RefChanged> changes = new ArrayList<>();
    for (String ref : names) {
      Optional<String> old = Optional.ofNullable(before.get(ref));
      Optional<String> current = Optional.ofNullable(now.get(ref));
      if (!old.equals(current)) {
        changes.add(new RefChanged(repository, ref, old, current, origin, seenAt));
      }
    }
    return changes;
  }

  private void emit(RefChanged change) {
    meters
        .counter("tagflow.source.events", "origin", change.origin().name().toLowerCase())
        .increment();
    log.info(
        "ref {} {} in {}: {} -> {} (seen by {})",
        change.ref(),
        change.change().name().toLowerCase(),
        UrlRedaction.redact(change.repository()),
        change.oldCommit().orElse("none"),
        change.newCommit().orElse("none"),
        change.origin());
    for (Consumer<RefChanged> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        // One failing listener must not hide the change from the others.
        log.warn(
            "a listener failed on {} {}: {}",
            UrlRedaction.redact(change.repository()),
            change.ref(),
            e.toString());
      }
    }
  }

  /** The last-seen refs of one repository; {@code refs} is null until the first baseline. */
  private static final class Tracked {
    final ReentrantLock lock = new ReentrantLock();
    volatile Map<String, String> refs;
  }
}
