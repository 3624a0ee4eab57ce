package dev.tagflow.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.store.Event;
import dev.tagflow.store.EventType;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The applications' meters as Prometheus reads them, from the controller's status changes. */
class ApplicationMetricsTest {

  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Application> applications =
      new ApplicationLoader()
          .load(
              "apps.yaml",
              """
              apiVersion: tagflow.dev/v1alpha1
              kind: Application
              metadata: {name: web}
              spec:
                project: shop
                source: {repoURL: "http://127.0.0.1:7070/git/env.git", path: web}
                destination: {cluster: local, namespace: web}
              ---
              apiVersion: tagflow.dev/v1alpha1
              kind: Application
              metadata: {name: api}
              spec:
                source: {repoURL: "http://127.0.0.1:7070/git/env.git", path: api}
                destination: {cluster: local, namespace: api}
              """);
  private final ApplicationMetrics metrics =
      new ApplicationMetrics(
          meters, name -> applications.stream().filter(a -> a.name().equals(name)).findFirst());

  private static ApplicationStatus status(String name, Health health) {
    return ApplicationStatus.unknown(name, ApplicationStatus.Automation.of(true, true))
        .withHealth(new HealthStatus(health, ""));
  }

  private void event(String application, String reason) {
    metrics.accept(
        new StatusChange.Recorded(
            new Event(application, Instant.now(), EventType.NORMAL, reason, "…"), "main"));
  }

  @Test
  void oneInfoSeriesPerApplicationFollowsItsStateAndEverySeriesGoesWithIt() {
    metrics.accept(new StatusChange.Updated(status("web", Health.PROGRESSING)));
    metrics.accept(new StatusChange.Updated(status("api", Health.HEALTHY)));
    metrics.accept(new StatusChange.Updated(status("web", Health.HEALTHY)));
    event("web", "SyncSucceeded");
    event("web", "DriftDetected");
    event("web", "DriftHealed");
    event("web", "SyncFailed");
    event("web", "RollbackStarted");
    event("web", "SyncStarted");

    String scrape = meters.scrape();
    assertThat(scrape)
        .contains(
            "tagflow_app_info{application=\"web\",destination=\"local/web\","
                + "health_status=\"Healthy\",project=\"shop\",sync_status=\"Unknown\"} 1\n")
        .contains(
            "tagflow_app_info{application=\"api\",destination=\"local/api\","
                + "health_status=\"Healthy\",project=\"default\",sync_status=\"Unknown\"} 1\n")
        .doesNotContain("health_status=\"Progressing\"")
        .contains(
            "tagflow_app_sync_total{application=\"web\",destination=\"local/web\","
                + "project=\"shop\",result=\"succeeded\"} 2.0")
        .contains(
            "tagflow_app_sync_total{application=\"web\",destination=\"local/web\","
                + "project=\"shop\",result=\"failed\"} 1.0")
        .contains(
            "tagflow_app_drift_detected_total{application=\"web\",destination=\"local/web\","
                + "project=\"shop\"} 1.0")
        .contains(
            "tagflow_app_self_heal_total{application=\"web\",destination=\"local/web\","
                + "project=\"shop\"} 1.0")
        .contains(
            "tagflow_app_rollback_total{application=\"web\",destination=\"local/web\","
                + "project=\"shop\"} 1.0");

    metrics.accept(new StatusChange.Removed("web"));

    assertThat(meters.scrape())
        .doesNotContain("application=\"web\"")
        .contains("tagflow_app_info{application=\"api\"");
  }

  @Test
  void aStatusChangeReplacesOnlyThatApplicationsInfoSeries() {
    metrics.accept(new StatusChange.Updated(status("web", Health.PROGRESSING)));
    metrics.accept(new StatusChange.Updated(status("api", Health.HEALTHY)));
    Meter api = meters.get(ApplicationMetrics.INFO).tag("application", "api").gauge();

    metrics.accept(new StatusChange.Updated(status("web", Health.HEALTHY)));
    metrics.accept(new StatusChange.Updated(status("web", Health.HEALTHY)));

    // api's series is the same meter: a change of web no longer registers every row again, which
    // made registering 1,000 applications quadratic.
    assertThat(meters.get(ApplicationMetrics.INFO).tag("application", "api").gauge()).isSameAs(api);
    assertThat(meters.find(ApplicationMetrics.INFO).gauges()).hasSize(2);
    assertThat(meters.get(ApplicationMetrics.INFO).tag("application", "web").gauge().getId())
        .extracting(id -> id.getTag("health_status"))
        .isEqualTo("Healthy");
  }
}
