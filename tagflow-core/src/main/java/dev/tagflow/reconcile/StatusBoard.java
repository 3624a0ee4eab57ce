package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.store.Event;
import dev.tagflow.store.EventType;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.StatusSnapshot;
import dev.tagflow.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statuses and events of the applications, kept in memory for readers and in the store across
 * restarts: {@link ApplicationStatuses} for readers, {@link #publish} and {@link #record} for the
 * reconcile.
 *
 * <p>A status is written to the store only when it changed in more than the time it was last
 * compared, so a steady state writes nothing. A write the store refused is logged and tried again
 * with the next publish; readers see the new status meanwhile. Every event is one log line with the
 * application and the revision, whether or not the store took it.
 */
final class StatusBoard implements ApplicationStatuses {

  private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);

  private final Store store;
  private final ApplicationRegistry registry;
  private final Clock clock;
  private final StatusJson json = new StatusJson();
  private final Map<String, ApplicationStatus> current = new ConcurrentHashMap<>();
  private final Map<String, ApplicationStatus> persisted = new ConcurrentHashMap<>();
  private final List<Consumer<StatusChange>> listeners = new CopyOnWriteArrayList<>();

  StatusBoard(Store store, ApplicationRegistry registry, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * The status the store kept for the application from an earlier run, if any.
   *
   * @throws TagflowException when the store cannot be read or the document not understood
   */
  Optional<ApplicationStatus> stored(String application) {
    Optional<StatusSnapshot> snapshot = store.statuses().get(application);
    if (snapshot.isEmpty()) {
      return Optional.empty();
    }
    if (snapshot.get().formatVersion() > StatusJson.FORMAT) {
      throw TagflowException.failed(
          "the stored status of '"
              + application
              + "' was written by a newer Tagflow (format "
              + snapshot.get().formatVersion()
              + ", this one reads "
              + StatusJson.FORMAT
              + ")");
    }
    ApplicationStatus status = json.read(snapshot.get().json());
    persisted.put(application, status);
    return Optional.of(status);
  }

  /** Shows the status, and stores it when it changed in more than when it was compared. */
  void publish(ApplicationStatus status) {
    ApplicationStatus before = current.put(status.application(), status);
    ApplicationStatus stored = persisted.get(status.application());
    if (stored == null || !sameButTime(stored, status)) {
      try {
        store.statuses().put(status.application(), StatusJson.FORMAT, json.write(status));
        persisted.put(status.application(), status);
      } catch (TagflowException e) {
        log.error(
            "application={} could not store its status (kept in memory, stored again with the"
                + " next change): {}",
            status.application(),
            e.getMessage());
      }
    }
    if (before == null || !sameButTime(before, status)) {
      notify(new StatusChange.Updated(status));
    }
  }

  /** Records an event: one log line, the store's event log, and the subscribers. */
  void record(String application, String revision, EventType type, String reason, String message) {
    Event event = new Event(application, clock.instant(), type, reason, message);
    if (type == EventType.WARNING) {
      log.warn("application={} revision={} event={} {}", application, revision, reason, message);
    } else {
      log.info("application={} revision={} event={} {}", application, revision, reason, message);
    }
    try {
      store.events().append(event);
    } catch (TagflowException e) {
      log.error("application={} could not store event {}: {}", application, reason, e.getMessage());
    }
    notify(new StatusChange.Recorded(event, revision));
  }

  /** Forgets the application's status (the caller removed it from the store). */
  void remove(String application) {
    current.remove(application);
    persisted.remove(application);
    notify(new StatusChange.Removed(application));
  }

  @Override
  public Optional<ApplicationStatus> get(String application) {
    return Optional.ofNullable(current.get(application));
  }

  @Override
  public List<ApplicationStatus> list() {
    return current.values().stream()
        .sorted(Comparator.comparing(ApplicationStatus::application))
        .toList();
  }

  @Override
  public List<Event> events(String application, int limit) {
    return store.events().recent(application, limit);
  }

  @Override
  public List<HistoryEntry> history(String application) {
    return store.history().list(application);
  }

  @Override
  public Optional<Lineage> lineage(String application) {
    return registry.list().stream()
        .filter(r -> r.application().name().equals(application))
        .findFirst()
        .map(
            r ->
                new Lineage(
                    r.source(), registry.parent(application), registry.children(application)));
  }

  @Override
  public List<ApplicationRegistry.SourceProblem> problems() {
    return registry.problems();
  }

  @Override
  public Subscription subscribe(Consumer<StatusChange> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void notify(StatusChange change) {
    for (Consumer<StatusChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        // One subscriber's bug must not stop the reconcile nor the other subscribers.
        log.error("a status subscriber failed on {}", change, e);
      }
    }
  }

  private static boolean sameButTime(ApplicationStatus a, ApplicationStatus b) {
    return a.withReconciledAt(b.reconciledAt().orElse(Instant.EPOCH))
        .equals(b.withReconciledAt(b.reconciledAt().orElse(Instant.EPOCH)));
  }
}
