package dev.tagflow.server.ui;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationStatus;
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
    String syncWindow) {

  /** A page of an application without sync windows. */
  public ApplicationPage(
      Application application,
      ApplicationStatus status,
      List<HistoryEntry> history,
      List<Event> events,
      Verdict rollback,
      Instant now) {
    this(application, status, history, events, rollback, now, "");
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
   * The objects grouped by namespace, cluster-scoped first, each group sorted by kind and name; the
   * application's status lists its own objects, not their children, so there is no owner to group
   * by beyond the application itself.
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
