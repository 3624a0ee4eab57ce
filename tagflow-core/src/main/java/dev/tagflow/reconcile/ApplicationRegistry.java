package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationName;
import dev.tagflow.app.SyncPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Applications the controller runs, each with the source that registered it: a directory of
 * files ({@code files:/etc/tagflow/apps}), a folder in Git ({@code git:envs/apps@main}), a parent
 * application ({@code app:<parent>}, see {@link #childSource}), the API. A source hands in all its
 * applications at once ({@link #replace}), or one at a time ({@link #add}, {@link #update}, {@link
 * #unregister}, which refuse a taken name or another source's application; {@link #put}, {@link
 * #remove}); listeners hear what was added, changed and removed. Removing an application removes
 * its child applications with it.
 *
 * <p>What one source got wrong stays with it: a file that cannot be read is a {@link SourceProblem}
 * of that file, and a second application of a name another source registered is refused as a
 * problem of the second, while every other application keeps running.
 *
 * <p>Removal circuit breaker: when one {@link #replace} would remove more than {@code
 * maxRemoveShare} of a source's applications, and more than one (a wrong path, a bad commit, a
 * directory emptied by mistake), nothing is removed: the applications keep running as they were,
 * the source has a problem saying so, and {@link #confirmRemoval} removes them. Removing an
 * application whose policy prunes deletes its objects, so this guards against the mass deletion
 * Argo CD users ask for.
 */
public final class ApplicationRegistry {

  private static final Logger log = LoggerFactory.getLogger(ApplicationRegistry.class);

  /** Argo CD's finalizer asking for an application's objects to be deleted with it. */
  static final String ARGO_RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

  /** Sources named {@code app:<parent>} are a parent application's manifests. */
  private static final String CHILD_SOURCE_PREFIX = "app:";

  /** A registered application and the source that registered it. */
  public record Registered(Application application, String source) {
    public Registered {
      Objects.requireNonNull(application, "application");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * What a source could not register.
   *
   * @param source the source
   * @param where the file (with its line) or the name the problem is about
   * @param message what is wrong and how to fix it
   * @param applications the registered applications it concerns (those of a file that stopped
   *     loading, kept as last read; a parent whose children were refused), which get an event
   */
  public record SourceProblem(
      String source, String where, String message, List<String> applications) {
    public SourceProblem {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(message, "message");
      applications = List.copyOf(applications);
    }

    /** A problem of no registered application. */
    public SourceProblem(String source, String where, String message) {
      this(source, where, message, List.of());
    }
  }

  /** What changed in the registry. */
  public sealed interface Change {
    /** The application's name. */
    String name();

    record Added(Application application) implements Change {
      @Override
      public String name() {
        return application.name();
      }
    }

    record Updated(Application application) implements Change {
      @Override
      public String name() {
        return application.name();
      }
    }

    /**
     * @param prune delete its objects (its policy prunes, or it carries Argo CD's resources
     *     finalizer); otherwise they are left in the cluster
     */
    record Removed(Application application, boolean prune) implements Change {
      @Override
      public String name() {
        return application.name();
      }
    }
  }

  private final double maxRemoveShare;
  private final Map<String, Registered> byName = new LinkedHashMap<>();
  private final Map<String, List<SourceProblem>> problems = new LinkedHashMap<>();
  private final Map<String, Set<String>> held = new LinkedHashMap<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<SourceProblem>> problemListeners = new CopyOnWriteArrayList<>();

  /**
   * @param maxRemoveShare the share of a source's applications one update may remove without
   *     confirmation (0.5)
   */
  public ApplicationRegistry(double maxRemoveShare) {
    this.maxRemoveShare = maxRemoveShare;
  }

  /** A registry whose breaker trips above half of a source's applications. */
  public static ApplicationRegistry withDefaults() {
    return new ApplicationRegistry(0.5);
  }

  /** Hears every change from now on, on the thread that made it. */
  public void addListener(Consumer<Change> listener) {
    listeners.add(listener);
  }

  /**
   * Hears each problem a source newly has (one it did not have at its previous update), on the
   * thread that found it.
   */
  public void addProblemListener(Consumer<SourceProblem> listener) {
    problemListeners.add(listener);
  }

  /** Every registered application, in the order they were added. */
  public synchronized List<Registered> list() {
    return List.copyOf(byName.values());
  }

  public synchronized Optional<Application> get(String name) {
    return Optional.ofNullable(byName.get(name)).map(Registered::application);
  }

  /** What the sources could not register, source by source. */
  public synchronized List<SourceProblem> problems() {
    return problems.values().stream().flatMap(List::stream).toList();
  }

  /** The source name of the child applications a parent application's manifests hold. */
  public static String childSource(String parent) {
    return CHILD_SOURCE_PREFIX + parent;
  }

  /** The parent application that registered this one, when it is a child application. */
  public synchronized Optional<String> parent(String name) {
    return Optional.ofNullable(byName.get(name))
        .map(Registered::source)
        .filter(s -> s.startsWith(CHILD_SOURCE_PREFIX))
        .map(s -> s.substring(CHILD_SOURCE_PREFIX.length()));
  }

  /** The child applications registered from this application's manifests, by name. */
  public synchronized List<String> children(String name) {
    String source = childSource(name);
    return byName.values().stream()
        .filter(r -> r.source().equals(source))
        .map(r -> r.application().name())
        .sorted()
        .toList();
  }

  /**
   * The application's parent, its parent's parent, and so on (the nearest first); a chain that
   * loops (which the registry never lets happen) ends where it repeats.
   */
  public synchronized List<String> ancestors(String name) {
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>(Set.of(name));
    for (Optional<String> up = parent(name); up.isPresent(); up = parent(up.get())) {
      if (!seen.add(up.get())) {
        break;
      }
      chain.add(up.get());
    }
    return chain;
  }

  /**
   * Registers a new application of a source (the API). An API loads what it is given with {@link
   * dev.tagflow.app.ApplicationLoader}, so it is checked as a file is.
   *
   * @throws TagflowException (INVALID_INPUT) when the name is not an Application name or is taken
   */
  public void add(String source, Application application) {
    checkName(application);
    List<Change> changes = new ArrayList<>();
    synchronized (this) {
      Registered existing = byName.get(application.name());
      if (existing != null) {
        throw TagflowException.invalidInput(
            "an Application named '"
                + application.name()
                + "' is already registered from "
                + existing.source()
                + "; update it, or give this one another name");
      }
      register(source, application, changes);
    }
    notify(changes);
  }

  /**
   * Changes an application the source registered.
   *
   * @throws TagflowException (INVALID_INPUT) when no application of that name is registered by the
   *     source (another source's is not the caller's to change)
   */
  public void update(String source, Application application) {
    checkName(application);
    List<Change> changes = new ArrayList<>();
    synchronized (this) {
      requireOwned(source, application.name());
      register(source, application, changes);
    }
    notify(changes);
  }

  /**
   * Removes an application the source registered, and its child applications; objects are pruned as
   * each one's policy says.
   *
   * @throws TagflowException (INVALID_INPUT) when no application of that name is registered by the
   *     source
   */
  public void unregister(String source, String name) {
    List<Change> changes = new ArrayList<>();
    synchronized (this) {
      requireOwned(source, name);
      removeWithChildren(byName.get(name), changes);
    }
    notify(changes);
  }

  private void requireOwned(String source, String name) {
    Registered existing = byName.get(name);
    if (existing == null) {
      throw TagflowException.invalidInput("no Application named '" + name + "' is registered");
    }
    if (!existing.source().equals(source)) {
      throw TagflowException.invalidInput(
          "the Application '"
              + name
              + "' is registered from "
              + existing.source()
              + ", not from "
              + source
              + "; change it there");
    }
  }

  private static void checkName(Application application) {
    ApplicationName.problem(application.name())
        .ifPresent(
            p -> {
              throw TagflowException.invalidInput(
                  "metadata.name '" + application.name() + "' " + p);
            });
  }

  /** Adds or updates one application of a source (the API, a parent application). */
  public void put(String source, Application application) {
    List<Change> changes = new ArrayList<>();
    synchronized (this) {
      Registered existing = byName.get(application.name());
      if (existing != null && !existing.source().equals(source)) {
        throw TagflowException.invalidInput(
            "an Application named '"
                + application.name()
                + "' is already registered from "
                + existing.source()
                + "; give this one another name");
      }
      register(source, application, changes);
    }
    notify(changes);
  }

  /** Removes one application of a source; its objects are pruned when its policy prunes. */
  public void remove(String source, String name) {
    List<Change> changes = new ArrayList<>();
    synchronized (this) {
      Registered existing = byName.get(name);
      if (existing != null && existing.source().equals(source)) {
        removeWithChildren(existing, changes);
      }
    }
    notify(changes);
  }

  /**
   * Makes the source's applications exactly these: new ones are added, changed ones updated, those
   * not named any more removed (unless that trips the removal breaker), and the source's problems
   * replaced by {@code sourceProblems}.
   */
  public void replace(
      String source, List<Application> applications, List<SourceProblem> sourceProblems) {
    List<Change> changes = new ArrayList<>();
    List<SourceProblem> fresh = new ArrayList<>();
    synchronized (this) {
      if (source.startsWith(CHILD_SOURCE_PREFIX)
          && !byName.containsKey(source.substring(CHILD_SOURCE_PREFIX.length()))) {
        // The parent was removed while it reconciled: its children went with it, and stay gone.
        return;
      }
      List<SourceProblem> found = new ArrayList<>(sourceProblems);
      Set<String> wanted = new HashSet<>();
      for (Application application : applications) {
        Registered existing = byName.get(application.name());
        if (existing != null && !existing.source().equals(source)) {
          found.add(
              new SourceProblem(
                  source,
                  application.origin().toString(),
                  "an Application named '"
                      + application.name()
                      + "' is already registered from "
                      + existing.source()
                      + "; this one is ignored until it has another name"));
          continue;
        }
        if (!wanted.add(application.name())) {
          found.add(
              new SourceProblem(
                  source,
                  application.origin().toString(),
                  "a second Application named '"
                      + application.name()
                      + "' in this source; this one is ignored"));
          continue;
        }
        register(source, application, changes);
      }
      List<Registered> gone =
          byName.values().stream()
              .filter(r -> r.source().equals(source) && !wanted.contains(r.application().name()))
              .toList();
      long before = byName.values().stream().filter(r -> r.source().equals(source)).count();
      boolean trips = gone.size() > 1 && gone.size() > maxRemoveShare * before;
      if (trips) {
        held.put(source, names(gone));
        found.add(
            new SourceProblem(
                source,
                source,
                "would remove "
                    + gone.size()
                    + " of its "
                    + before
                    + " applications at once ("
                    + String.join(", ", names(gone))
                    + "), more than "
                    + Math.round(maxRemoveShare * 100)
                    + " %; they keep running as they were. If that is what you want, confirm"
                    + " the removal; otherwise restore their files"));
        log.warn("source={} removal of {} applications held for confirmation", source, gone.size());
      } else {
        held.remove(source);
        for (Registered registered : gone) {
          removeWithChildren(registered, changes);
        }
      }
      List<SourceProblem> had = problems.getOrDefault(source, List.of());
      found.stream().filter(p -> !had.contains(p)).forEach(fresh::add);
      if (found.isEmpty()) {
        problems.remove(source);
      } else {
        problems.put(source, List.copyOf(found));
      }
    }
    notify(changes);
    fresh.forEach(p -> problemListeners.forEach(l -> l.accept(p)));
  }

  /**
   * Removes the applications whose removal the breaker held for that source.
   *
   * @return how many were removed
   */
  public int confirmRemoval(String source) {
    List<Change> changes = new ArrayList<>();
    synchronized (this) {
      Set<String> names = held.remove(source);
      if (names == null) {
        return 0;
      }
      for (String name : names) {
        Registered registered = byName.get(name);
        if (registered != null) {
          removeWithChildren(registered, changes);
        }
      }
      List<SourceProblem> left =
          problems.getOrDefault(source, List.of()).stream()
              .filter(p -> !p.where().equals(source))
              .toList();
      if (left.isEmpty()) {
        problems.remove(source);
      } else {
        problems.put(source, left);
      }
    }
    notify(changes);
    return changes.size();
  }

  /**
   * Removes the application and, depth first, the child applications its manifests registered:
   * children are kept and pruned with their parent, past the breaker (the parent's removal was the
   * decision).
   */
  private void removeWithChildren(Registered registered, List<Change> changes) {
    String name = registered.application().name();
    byName.remove(name);
    String children = childSource(name);
    held.remove(children);
    problems.remove(children);
    for (Registered child :
        byName.values().stream().filter(r -> r.source().equals(children)).toList()) {
      removeWithChildren(child, changes);
    }
    changes.add(removed(registered.application()));
  }

  private void register(String source, Application application, List<Change> changes) {
    Registered before = byName.put(application.name(), new Registered(application, source));
    if (before == null) {
      changes.add(new Change.Added(application));
    } else if (!before.application().equals(application)) {
      changes.add(new Change.Updated(application));
    }
  }

  private static Change removed(Application application) {
    boolean prune =
        application.syncPolicy().automated().map(SyncPolicy.Automated::prune).orElse(false)
            || application.metadata().finalizers().contains(ARGO_RESOURCES_FINALIZER);
    return new Change.Removed(application, prune);
  }

  private static Set<String> names(List<Registered> registered) {
    Set<String> names = new TreeSet<>();
    registered.forEach(r -> names.add(r.application().name()));
    return names;
  }

  private void notify(List<Change> changes) {
    for (Change change : changes) {
      log.info("application={} {}", change.name(), describe(change));
      listeners.forEach(l -> l.accept(change));
    }
  }

  private static String describe(Change change) {
    return switch (change) {
      case Change.Added added -> "registered from " + added.application().origin();
      case Change.Updated updated -> "updated from " + updated.application().origin();
      case Change.Removed removed ->
          removed.prune()
              ? "removed; its objects will be deleted"
              : "removed; its objects are left in the cluster";
    };
  }
}
