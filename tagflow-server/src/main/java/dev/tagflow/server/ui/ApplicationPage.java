package dev.tagflow.server.ui;

import dev.tagflow.app.Application;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.OwnedObject;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The application page as it shows: where the application comes from and goes, its sync and health,
 * its objects by namespace, a running sync's progress, its history and events, and whether the
 * viewer may roll it back.
 *
 * @param application the registered application
 * @param status what the controller knows of it
 * @param history its recorded syncs, newest first
 * @param events its latest events, newest first
 * @param rollback whether the viewer may roll back now, and why not
 * @param now the time ages are counted to
 * @param owned what its workloads own in the cluster (ReplicaSets, Pods), from the live cache
 * @param syncWindow whether the sync windows let syncs start and when that changes; empty when the
 *     application has none
 */
public record ApplicationPage(
    Application application,
    ApplicationStatus status,
    List<HistoryEntry> history,
    List<Event> events,
    Verdict rollback,
    Instant now,
    Owned owned,
    String syncWindow) {

  /** A page without what its objects own and without sync windows. */
  public ApplicationPage(
      Application application,
      ApplicationStatus status,
      List<HistoryEntry> history,
      List<Event> events,
      Verdict rollback,
      Instant now) {
    this(application, status, history, events, rollback, now, Owned.NONE, "");
  }

  /**
   * What the application's objects own, by owner, or why it could not be read.
   *
   * @param byOwner the owned objects of each owner that owns any
   * @param problem why the cluster could not be read; empty when it was
   */
  public record Owned(Map<ObjectRef, List<OwnedObject>> byOwner, String problem) {
    public static final Owned NONE = new Owned(Map.of(), "");

    public Owned {
      byOwner = Map.copyOf(byOwner);
    }
  }

  /**
   * One row of the tree below an object: an owned object, how deep (1: owned by the object), and
   * its owner.
   */
  public record OwnedRow(OwnedObject node, int depth, ObjectRef owner) {}

  /** The rows below an object of the application, depth first, as the tree shows them. */
  public List<OwnedRow> ownedRows(ObjectRef object) {
    List<OwnedRow> rows = new ArrayList<>();
    addRows(rows, object, owned.byOwner().getOrDefault(object, List.of()), 1);
    return rows;
  }

  private static void addRows(
      List<OwnedRow> rows, ObjectRef owner, List<OwnedObject> nodes, int depth) {
    for (OwnedObject node : nodes) {
      rows.add(new OwnedRow(node, depth, owner));
      addRows(rows, node.object(), node.owned(), depth + 1);
    }
  }

  /** The SSE event that carries the page's live part. */
  public static final String LIVE_EVENT = "status";

  /**
   * Whether a person may do something now.
   *
   * @param allowed whether they may
   * @param reason why not (the permission missing, the sync window closed); empty when allowed
   */
  public record Verdict(boolean allowed, String reason) {
    public static final Verdict ALLOWED = new Verdict(true, "");

    public static Verdict refused(String reason) {
      return new Verdict(false, reason);
    }
  }

  /**
   * What the viewer may do on the page now, each with why not.
   *
   * @param sync start a sync (the permission, a sync window, a running sync)
   * @param refresh compare with Git and the cluster now
   * @param automation turn automated sync on again (refused when it is not off)
   */
  public record Actions(Verdict sync, Verdict refresh, Verdict automation) {}

  /**
   * A sync's options, as a form or the confirmation page's query sends them.
   *
   * @param prune delete the objects Git no longer has
   * @param confirmPrune also those marked {@code Prune=confirm}
   */
  public record SyncOptions(boolean prune, boolean confirmPrune) {

    /** From the form's or query's values: {@code true} checks an option, anything else not. */
    public static SyncOptions of(String prune, String confirmPrune) {
      return new SyncOptions("true".equals(prune), "true".equals(confirmPrune));
    }

    /** As the confirmation page's query: {@code prune=true&confirmPrune=false}. */
    public String query() {
      return "prune=" + prune + "&confirmPrune=" + confirmPrune;
    }
  }

  /** The objects of one namespace ({@code ""}: cluster-scoped). */
  public record Group(String namespace, List<ApplicationStatus.ObjectStatus> objects) {

    public String title() {
      return namespace.isEmpty() ? "Cluster-scoped" : "Namespace " + namespace;
    }
  }

  public String name() {
    return application.name();
  }

  public String environment() {
    return ApplicationEnvironment.of(application);
  }

  /** Whether its syncs are confirmed on a page of their own first (production). */
  public boolean confirmsSync() {
    return ApplicationActions.CONFIRMED_ENVIRONMENT.equals(environment());
  }

  /** The sync status as a word: Synced, OutOfSync, Unknown. */
  public String sync() {
    return status.sync().status().displayName();
  }

  /** The health as a word: Healthy, Progressing, Degraded, … */
  public String health() {
    return status.health().health().displayName();
  }

  /** What runs: the deployed revision, or what Git was last compared at. */
  public String revision() {
    return status
        .deployed()
        .map(d -> d.revision().requested())
        .or(() -> status.sync().revision().map(ApplicationStatus.GitRevision::requested))
        .orElse("not deployed");
  }

  /** The deployed commit, 12 characters; empty before the first deploy. */
  public String commit() {
    return status.deployed().map(d -> shortCommit(d.revision().commit())).orElse("");
  }

  /** The commit Git was compared at, when it differs from the deployed one. */
  public String gitCommit() {
    String deployed = status.deployed().map(d -> d.revision().commit()).orElse("");
    return status
        .sync()
        .revision()
        .map(ApplicationStatus.GitRevision::commit)
        .filter(c -> !c.equals(deployed))
        .map(ApplicationPage::shortCommit)
        .orElse("");
  }

  /** Time since the deploy ({@code 3m}), or empty. */
  public String age() {
    return status
        .deployed()
        .map(d -> Board.shortAge(java.time.Duration.between(d.at(), now)))
        .orElse("");
  }

  /**
   * The objects grouped by namespace, cluster-scoped first, each group sorted by kind and name;
   * what each owns is in {@link #ownedRows}.
   */
  public List<Group> groups() {
    Map<String, List<ApplicationStatus.ObjectStatus>> byNamespace = new TreeMap<>();
    for (ApplicationStatus.ObjectStatus object : status.objects()) {
      String namespace = object.object().namespace() == null ? "" : object.object().namespace();
      byNamespace.computeIfAbsent(namespace, n -> new ArrayList<>()).add(object);
    }
    List<Group> groups = new ArrayList<>();
    byNamespace.forEach(
        (namespace, objects) ->
            groups.add(
                new Group(
                    namespace,
                    objects.stream()
                        .sorted(
                            Comparator.comparing(
                                    (ApplicationStatus.ObjectStatus o) -> o.object().kind())
                                .thenComparing(o -> o.object().name()))
                        .toList())));
    return groups;
  }

  /** How many objects are not in sync. */
  public long differing() {
    return status.objects().stream()
        .filter(o -> o.sync() != ApplicationStatus.ObjectSync.SYNCED)
        .count();
  }

  /** The running sync, if one runs. */
  public Optional<ApplicationStatus.Operation> running() {
    return status.operation().filter(o -> o.finishedAt().isEmpty() && !o.phase().isFinal());
  }

  /**
   * A running sync's progress: its step and what it waits for ({@code wave 2 waits for
   * Deployment/web}), or empty when none runs.
   */
  public Optional<String> progress() {
    return running()
        .map(
            o -> {
              String step = o.step().isBlank() ? "starting" : o.step();
              return o.message().isBlank() ? step : step + ": " + o.message();
            });
  }

  /** The id of the sync that deployed what runs; rolling back to it changes nothing. */
  public Optional<Long> current() {
    return status.deployed().flatMap(ApplicationStatus.Deployed::historyId);
  }

  /**
   * Whether a history entry can be rolled back to: it succeeded, and its manifests are not the ones
   * that run now (rolling back to them would change nothing).
   */
  public boolean canRollBackTo(HistoryEntry entry) {
    Optional<String> running =
        current()
            .flatMap(id -> history.stream().filter(h -> h.id() == id).findFirst())
            .map(h -> h.sync().manifestsHash());
    return entry.sync().result() == dev.tagflow.store.SyncResult.SUCCEEDED
        && !current().equals(Optional.of(entry.id()))
        && !running.equals(Optional.of(entry.sync().manifestsHash()));
  }

  private static final java.time.format.DateTimeFormatter SHOWN =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
          .withZone(java.time.ZoneOffset.UTC);

  /** A time as people read it: {@code 2026-12-06 16:14:20 UTC}. */
  public static String time(Instant at) {
    return SHOWN.format(at);
  }

  static String shortCommit(String commit) {
    return commit.substring(0, Math.min(12, commit.length()));
  }
}
