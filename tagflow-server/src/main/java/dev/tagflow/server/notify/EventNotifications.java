package dev.tagflow.server.notify;

import dev.tagflow.app.Application;
import dev.tagflow.app.SourceType;
import dev.tagflow.health.Health;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.server.config.NotificationWebhook.Trigger;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.source.RepoKey;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.RunRecord;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Turns what happens in the server into notifications: the controller's changes ({@link
 * #accept(StatusChange)}, subscribed to its statuses: sync succeeded or failed, health became
 * Degraded, rollback started), a pipeline run that ended without success ({@link #runFinished}) and
 * a promotion request waiting for approval ({@link #promotionCreated}). Called on the threads where
 * those happen, it only builds the notification and queues it.
 */
public final class EventNotifications implements Consumer<StatusChange> {

  private final Notifier notifier;
  private final Function<String, Optional<Application>> applications;
  private final Supplier<List<Application>> all;
  private final Supplier<Optional<URI>> baseUrl;
  private final Clock clock;
  private final Map<String, Health> lastHealth = new ConcurrentHashMap<>();

  /**
   * @param applications the registered application of a name: its project
   * @param all every registered application: which projects read a repository
   * @param baseUrl the server's URL for links, once it listens
   */
  public EventNotifications(
      Notifier notifier,
      Function<String, Optional<Application>> applications,
      Supplier<List<Application>> all,
      Supplier<Optional<URI>> baseUrl,
      Clock clock) {
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.applications = Objects.requireNonNull(applications, "applications");
    this.all = Objects.requireNonNull(all, "all");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void accept(StatusChange change) {
    switch (change) {
      case StatusChange.Recorded recorded -> recorded(recorded);
      case StatusChange.Updated updated -> updated(updated.status());
      case StatusChange.Removed removed -> lastHealth.remove(removed.application());
    }
  }

  private void recorded(StatusChange.Recorded recorded) {
    Optional<Trigger> trigger =
        switch (recorded.event().reason()) {
          case "SyncSucceeded" -> Optional.of(Trigger.SYNC_SUCCEEDED);
          case "SyncFailed" -> Optional.of(Trigger.SYNC_FAILED);
          case "RollbackStarted" -> Optional.of(Trigger.ROLLBACK);
          default -> Optional.empty();
        };
    if (trigger.isEmpty()) {
      return;
    }
    String name = recorded.application();
    applications
        .apply(name)
        .ifPresent(
            app ->
                notifier.notify(
                    new Notification(
                        trigger.get(),
                        Notification.Subject.application(name),
                        app.project(),
                        known(recorded.revision()),
                        recorded.event().message(),
                        recorded.event().time(),
                        link("applications/" + name))));
  }

  /** Degraded once, when it becomes so: not again while it stays Degraded. */
  private void updated(ApplicationStatus status) {
    Health now = status.health().health();
    Health before = lastHealth.put(status.application(), now);
    if (now != Health.DEGRADED || before == null || before == Health.DEGRADED) {
      return;
    }
    applications
        .apply(status.application())
        .ifPresent(
            app ->
                notifier.notify(
                    new Notification(
                        Trigger.HEALTH_DEGRADED,
                        Notification.Subject.application(status.application()),
                        app.project(),
                        status.deployed().map(d -> d.revision().toString()),
                        "health is Degraded (was "
                            + before.displayName()
                            + ")"
                            + (status.health().message().isBlank()
                                ? ""
                                : ": " + status.health().message()),
                        clock.instant(),
                        link("applications/" + status.application()))));
  }

  /** A run that ended in failure (a refused workflow included); cancelled ones are not failures. */
  public void runFinished(RunRecord run) {
    if (run.status() != RunRecord.RunStatus.FAILURE) {
      return;
    }
    String tag = run.ref().replaceFirst("^refs/(tags|heads)/", "");
    // A run names its repository as owner/name, the last two segments of its URL.
    String suffix = "/" + run.repository();
    for (String project : projectsReading(url -> url.endsWith(suffix))) {
      notifier.notify(
          new Notification(
              Trigger.RUN_FAILED,
              Notification.Subject.run(run.runId()),
              project,
              Optional.of(tag + " (" + shortCommit(run.commit()) + ")"),
              "workflow " + run.workflow() + " failed for " + tag,
              run.finished().orElse(clock.instant()),
              link("runs/" + run.runId())));
    }
  }

  /** A promotion request waiting for approval. */
  public void promotionCreated(PromotionRecord request) {
    var draft = request.draft();
    String environments = RepoKey.of(draft.repository());
    for (String project : projectsReading(environments::equals)) {
      notifier.notify(
          new Notification(
              Trigger.APPROVAL_REQUESTED,
              Notification.Subject.promotion(request.id()),
              project,
              Optional.of(draft.version()),
              "promotion of "
                  + draft.release()
                  + " "
                  + draft.version()
                  + " to "
                  + draft.environment()
                  + " waits for "
                  + draft.requiredApprovals()
                  + (draft.requiredApprovals() == 1 ? " approval" : " approvals")
                  + (draft.roles().isEmpty() ? "" : " (" + String.join(", ", draft.roles()) + ")"),
              request.createdAt(),
              link("approvals/" + request.id())));
    }
  }

  /**
   * The projects of the applications that read a repository (as source or chart) whose {@link
   * RepoKey} is one of {@code wanted}; the default project when none does, so a repository of no
   * application still reaches someone.
   */
  private Set<String> projectsReading(Predicate<String> wanted) {
    Set<String> projects = new LinkedHashSet<>();
    for (Application app : all.get()) {
      boolean reads = wanted.test(RepoKey.of(app.source().repoURL()));
      if (!reads && app.source().type() instanceof SourceType.Helm helm) {
        reads = helm.chart().flatMap(c -> c.repoURL()).map(RepoKey::of).filter(wanted).isPresent();
      }
      if (reads) {
        projects.add(app.project());
      }
    }
    if (projects.isEmpty()) {
      projects.add(ServerSettings.DEFAULT_PROJECT);
    }
    return projects;
  }

  private Optional<URI> link(String path) {
    return baseUrl
        .get()
        .map(base -> URI.create(base.toString().replaceAll("/+$", "") + "/" + path));
  }

  private static Optional<String> known(String revision) {
    return revision == null || revision.isBlank() || revision.equals("?")
        ? Optional.empty()
        : Optional.of(revision);
  }

  private static String shortCommit(String commit) {
    return commit == null ? "?" : commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
