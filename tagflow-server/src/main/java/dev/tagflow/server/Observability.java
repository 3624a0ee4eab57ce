package dev.tagflow.server;

import dev.tagflow.reconcile.ApplicationRegistry;
import dev.tagflow.reconcile.ApplicationStatuses;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.events.ControllerAudit;
import dev.tagflow.server.events.ObservedPromotions;
import dev.tagflow.server.events.ObservedRuns;
import dev.tagflow.server.metrics.ApplicationMetrics;
import dev.tagflow.server.metrics.RunMetrics;
import dev.tagflow.server.notify.EventNotifications;
import dev.tagflow.server.notify.Notifier;
import dev.tagflow.store.PromotionStore;
import dev.tagflow.store.RunStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the server tells people about its work, wired in one place: the applications' meters and the
 * notifications, fed by the controller's status changes, the pipeline's run ends and new promotion
 * requests; and the audit entries of the controller's own rollbacks. Build it before the controller
 * starts, so it sees every change.
 */
public final class Observability implements AutoCloseable {

  private final Notifier notifier;
  private final EventNotifications events;
  private final RunMetrics runMetrics;
  private final List<ApplicationStatuses.Subscription> subscriptions;
  private final AtomicReference<URI> baseUrl = new AtomicReference<>();

  public Observability(
      ControllerService controller,
      MeterRegistry meters,
      Notifier.Options notifications,
      Clock clock) {
    ApplicationRegistry registry = controller.reconciler().registry();
    this.notifier = new Notifier(notifications, clock, meters, controller.store().notifications());
    this.events =
        new EventNotifications(
            notifier,
            registry::get,
            () ->
                registry.list().stream().map(ApplicationRegistry.Registered::application).toList(),
            () -> Optional.ofNullable(baseUrl.get()),
            clock);
    this.runMetrics = new RunMetrics(meters);
    this.subscriptions =
        List.of(
            controller.statuses().subscribe(new ApplicationMetrics(meters, registry::get)),
            controller.statuses().subscribe(events),
            controller.statuses().subscribe(new ControllerAudit(controller.store().audit())));
  }

  /** The settings' projects and their webhooks; again with each valid new version of the file. */
  public void follow(ServerSettings settings) {
    notifier.setProjects(settings.projects());
  }

  /** Where links in notifications point, once the server listens. */
  public void servingAt(URI url) {
    baseUrl.set(url);
  }

  /** The run store the pipeline records with, so run ends are measured and notified. */
  public RunStore runs(RunStore store) {
    return new ObservedRuns(store, List.of(runMetrics, events::runFinished));
  }

  /** The promotion store promotions write to, so a request waiting for approval is notified. */
  public PromotionStore promotions(PromotionStore store) {
    return new ObservedPromotions(store, List.of(events::promotionCreated));
  }

  public Notifier notifier() {
    return notifier;
  }

  @Override
  public void close() {
    subscriptions.forEach(ApplicationStatuses.Subscription::close);
    notifier.close();
  }
}
