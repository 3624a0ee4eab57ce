package dev.tagflow.demo;

import dev.tagflow.health.Health;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StoredStatuses;
import dev.tagflow.store.Event;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the demo reads of what tagflow server did, from beside it: runs, statuses, events and
 * promotion requests from the server's store, and the Deployments from the cluster.
 */
final class DemoObserver implements AutoCloseable {

  private final Store store;
  private final StoredStatuses statuses;
  private final KubernetesClient kube;

  DemoObserver(Store store, KubernetesClient kube) {
    this.store = store;
    this.statuses = new StoredStatuses(store);
    this.kube = kube;
  }

  Store store() {
    return store;
  }

  StoredStatuses statuses() {
    return statuses;
  }

  KubernetesClient kubernetes() {
    return kube;
  }

  Optional<ApplicationStatus> status(String application) {
    return statuses.get(application);
  }

  String describe(String application) {
    return status(application)
        .map(
            s ->
                s.sync().status().displayName()
                    + ", "
                    + s.health().health().displayName()
                    + (s.health().health() == Health.HEALTHY || s.health().message().isBlank()
                        ? ""
                        : " (" + s.health().message() + ")"))
        .orElse("not found yet");
  }

  Optional<Deployment> deployment(String env) {
    return Optional.ofNullable(
        kube.apps().deployments().inNamespace("web-" + env).withName("web").get());
  }

  /** The version the environment's Deployment runs (its image's tag). */
  Optional<String> version(String env) {
    return deployment(env)
        .map(d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .map(image -> image.substring(image.lastIndexOf(':') + 1));
  }

  List<Event> events(String application, Set<String> reasons, Instant since) {
    return store.events().recent(application, 200).stream()
        .filter(e -> reasons.contains(e.reason()))
        .filter(e -> !e.time().isBefore(since))
        .sorted(Comparator.comparing(Event::time))
        .toList();
  }

  boolean eventSeen(String application, String reason, Instant since) {
    return store.events().recent(application, 50).stream()
        .anyMatch(e -> e.reason().equals(reason) && !e.time().isBefore(since));
  }

  String lastEvent(String application) {
    return store.events().recent(application, 1).stream()
        .findFirst()
        .map(e -> "last event " + e.reason())
        .orElse("no event yet");
  }

  Optional<RunRecord> run(String ref) {
    return store.runs().latest(20).stream().filter(r -> r.ref().equals(ref)).findFirst();
  }

  Optional<PromotionRecord> pending(String environment, String version) {
    return store.promotions().list(Optional.of(PromotionState.PENDING)).stream()
        .filter(r -> r.draft().environment().equals(environment))
        .filter(r -> r.draft().version().equals(version))
        .findFirst();
  }

  @Override
  public void close() {
    store.close();
    kube.close();
  }
}
