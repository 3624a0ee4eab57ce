package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveStateCache;
import dev.tagflow.diff.Differ;
import dev.tagflow.diff.StoredVerdicts;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.render.Renderer;
import dev.tagflow.source.RepoCache;
import dev.tagflow.store.DiffMemo;
import dev.tagflow.sync.SyncEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destinations of a kubeconfig's contexts ({@link DestinationContext}: {@code local} is the
 * current context): per context one {@link LiveStateCache} (the watches), one {@link SyncEngine}
 * (its differ's memory), and what the cluster offers to charts, all made on first use and kept. A
 * cluster that cannot be reached on first use is tried again on the next call. Each differ keeps
 * its "in sync" verdicts in the store's memo too ({@link StoredVerdicts}), so a restart in steady
 * state sends no dry-run.
 */
public final class ClusterDestinations implements Destinations {

  private static final Logger log = LoggerFactory.getLogger(ClusterDestinations.class);

  private final ClusterConnections connections;
  private final RepoCache repos;
  private final Renderer renderer;
  private final HealthRegistry health;
  private final Clock clock;
  private final DiffMemo memo;
  private final DestinationContext contexts = new DestinationContext();
  private final Map<String, Bound> bound = new ConcurrentHashMap<>();
  private final List<Consumer<GenericKubernetesResource>> listeners = new CopyOnWriteArrayList<>();

  /** One cluster's cache and steps. */
  private record Bound(
      LiveStateCache cache, ApplicationSync sync, Optional<StoredVerdicts> verdicts) {}

  /**
   * @param memo where the differs keep their verdicts ({@code Store.memo()})
   */
  public ClusterDestinations(
      ClusterConnections connections,
      RepoCache repos,
      Renderer renderer,
      HealthRegistry health,
      DiffMemo memo,
      Clock clock) {
    this.connections = connections;
    this.memo = memo;
    this.repos = repos;
    this.renderer = renderer;
    this.health = health;
    this.clock = clock;
  }

  @Override
  public ApplicationSync syncFor(Application application) {
    Optional<String> context = contexts.contextFor(application);
    return bound.computeIfAbsent(context.orElse(""), c -> bind(context)).sync();
  }

  private Bound bind(Optional<String> context) {
    ClusterGateway cluster = connections.connect(context);
    // Read first: a cluster that does not answer leaves nothing behind to clean up.
    var capabilities = new DestinationCapabilities().of(cluster);
    LiveStateCache cache = new LiveStateCache(cluster);
    cache.addObjectListener(object -> listeners.forEach(l -> l.accept(object)));
    InventoryStore inventories = new InventoryStore(cluster, InventoryStore.DEFAULT_NAMESPACE);
    Optional<StoredVerdicts> verdicts = verdicts(cluster);
    Differ differ = new Differ(cluster, cache, Differ.DEFAULT_PARALLELISM, verdicts);
    SyncEngine compares = new SyncEngine(cluster, cache, inventories, health, differ, clock);
    // A sync judges each wave on the object as the API server has it right after the apply: the
    // cache may still hold the one from before, and call a rollout healthy that has not started.
    SyncEngine syncs = new SyncEngine(cluster, cluster, inventories, health, differ, clock);
    return new Bound(
        cache, new ApplicationSync(repos, renderer, compares, syncs, capabilities), verdicts);
  }

  /** The store's verdicts of that cluster; none when it cannot be told from another. */
  private Optional<StoredVerdicts> verdicts(ClusterGateway cluster) {
    Optional<String> identity;
    try {
      identity = cluster.identity();
    } catch (ClusterException e) {
      log.warn(
          "cluster={} identity unreadable, the differ's memo is not kept across restarts: {}",
          cluster.name(),
          e.getMessage());
      return Optional.empty();
    }
    if (identity.isEmpty()) {
      log.warn(
          "cluster={} has no kube-system namespace to tell it by: the differ's memo is not kept"
              + " across restarts",
          cluster.name());
    }
    return identity.map(
        id -> new StoredVerdicts(memo, id, StoredVerdicts.Options.defaults(), clock));
  }

  @Override
  public void addObjectListener(Consumer<GenericKubernetesResource> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    bound.values().forEach(b -> b.cache().close());
    // After the caches: no reconcile is left to queue a verdict; what is queued is written.
    bound.values().forEach(b -> b.verdicts().ifPresent(StoredVerdicts::close));
    bound.clear();
  }
}
