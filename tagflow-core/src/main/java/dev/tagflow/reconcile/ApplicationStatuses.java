package dev.tagflow.reconcile;

import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the controller shows of the applications it runs: the one read interface for the server's
 * API, its UI and tests. Reads never wait for a reconcile.
 */
public interface ApplicationStatuses {

  /** The application's status, if it is registered. */
  Optional<ApplicationStatus> get(String application);

  /** Every registered application's status, by name. */
  List<ApplicationStatus> list();

  /** The application's latest events, newest first. */
  List<Event> events(String application, int limit);

  /** The application's recorded syncs, newest first. */
  List<HistoryEntry> history(String application);

  /**
   * Where the application comes from: the source that registered it ({@code files:<dir>}, {@code
   * git:<repository>/<path>@<revision>}, {@code app:<parent>} for a child application, the API's),
   * its parent when it is a child application, and its own child applications.
   */
  Optional<Lineage> lineage(String application);

  /**
   * Where an application comes from.
   *
   * @param source the source that registered it
   * @param parent the application whose manifests hold it, for a child application
   * @param children the applications its own manifests hold, by name
   */
  record Lineage(String source, Optional<String> parent, List<String> children) {
    public Lineage {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(parent, "parent");
      children = List.copyOf(children);
    }
  }

  /** What the application sources could not register (a file that does not load, …). */
  List<ApplicationRegistry.SourceProblem> problems();

  /**
   * Hears every change from now on: a status that changed, an application removed, an event. The
   * listener is called on the reconciling thread: it must return quickly.
   */
  Subscription subscribe(Consumer<StatusChange> listener);

  /** A subscription; closing it stops the calls. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
