package dev.tagflow.server.metrics;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StatusChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The applications' state as meters, fed by the controller's status changes: {@code
 * tagflow_app_info} (1 per application, labelled with its project, destination, sync and health
 * status, as Argo CD's {@code argocd_app_info}), and counters of syncs by result, drift detected,
 * self-heals and rollbacks per application. An application's meters go when it is removed, so their
 * number stays that of the applications.
 */
public final class ApplicationMetrics implements java.util.function.Consumer<StatusChange> {

  static final String INFO = "tagflow.app.info";
  static final String SYNCS = "tagflow.app.sync";
  static final String DRIFT = "tagflow.app.drift.detected";
  static final String SELF_HEALS = "tagflow.app.self.heal";
  static final String ROLLBACKS = "tagflow.app.rollback";

  private final MeterRegistry meters;
  private final Function<String, Optional<Application>> applications;
  // One gauge per application, replaced alone when its labels change: re-registering every row
  // at each change cost O(applications) per status, which made registering 1,000 applications
  // quadratic and slowed the server's start.
  private final Map<String, Gauge> rows = new HashMap<>();

  /**
   * @param applications the registered application of a name: its project and destination
   */
  public ApplicationMetrics(
      MeterRegistry meters, Function<String, Optional<Application>> applications) {
    this.meters = Objects.requireNonNull(meters, "meters");
    this.applications = Objects.requireNonNull(applications, "applications");
  }

  @Override
  public void accept(StatusChange change) {
    switch (change) {
      case StatusChange.Updated updated -> updated(updated.status());
      case StatusChange.Removed removed -> removed(removed.application());
      case StatusChange.Recorded recorded ->
          recorded(recorded.application(), recorded.event().reason());
    }
  }

  private void updated(ApplicationStatus status) {
    Optional<Application> app = applications.apply(status.application());
    if (app.isEmpty()) {
      return;
    }
    Tags tags =
        identity(app.get())
            .and("sync_status", status.sync().status().displayName())
            .and("health_status", status.health().health().displayName());
    synchronized (rows) {
      Gauge before = rows.get(status.application());
      if (before != null && Tags.of(before.getId().getTags()).equals(tags)) {
        return;
      }
      if (before != null) {
        meters.remove(before);
      }
      rows.put(
          status.application(),
          Gauge.builder(INFO, () -> 1)
              .description(
                  "1 for each application, labelled with its sync and health status (as the"
                      + " controller last saw them)")
              .tags(tags)
              .register(meters));
    }
  }

  private void removed(String application) {
    synchronized (rows) {
      Gauge gone = rows.remove(application);
      if (gone != null) {
        meters.remove(gone);
      }
    }
    for (String name : List.of(SYNCS, DRIFT, SELF_HEALS, ROLLBACKS)) {
      for (Meter meter : meters.find(name).tag("application", application).meters()) {
        meters.remove(meter);
      }
    }
  }

  private void recorded(String application, String reason) {
    Optional<Application> app = applications.apply(application);
    if (app.isEmpty()) {
      return;
    }
    Tags tags = identity(app.get());
    switch (reason) {
      case "SyncSucceeded" -> sync(tags, "succeeded");
      case "DriftHealed" -> {
        sync(tags, "succeeded");
        counter(SELF_HEALS, "Drift healed by re-applying Git (selfHeal)", tags);
      }
      case "SyncFailed" -> sync(tags, "failed");
      case "PruneNeedsConfirmation" -> sync(tags, "needs_confirmation");
      case "DriftDetected" ->
          counter(DRIFT, "Times the cluster was found to differ from Git", tags);
      case "RollbackStarted" ->
          counter(ROLLBACKS, "Rollbacks, by a person or the rollback policy", tags);
      default -> {}
    }
  }

  private void sync(Tags tags, String result) {
    counter(SYNCS, "Syncs that ended, by result", tags.and("result", result));
  }

  private void counter(String name, String description, Tags tags) {
    Counter.builder(name).description(description).tags(tags).register(meters).increment();
  }

  /** Who an application is: the labels every per-application meter carries. */
  private static Tags identity(Application app) {
    return Tags.of(
        "application", app.name(),
        "project", app.project(),
        "destination", app.destination().cluster() + "/" + app.destination().namespace());
  }
}
