package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveStateCache;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.Differ;
import dev.tagflow.diff.StoredVerdicts;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.health.HealthRule;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.render.Capabilities;
import dev.tagflow.render.Renderer;
import dev.tagflow.schedule.Selector;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.schedule.SyncWindows;
import dev.tagflow.source.RepoCache;
import dev.tagflow.store.DiffMemo;
import dev.tagflow.sync.SyncEngine;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destinations of kubeconfig contexts: per context one {@link LiveStateCache} (the watches),
 * one differ (its memory), and what the cluster offers to charts, all made on first use and kept;
 * per project health rules one {@link SyncEngine} over them. A cluster that cannot be reached on
 * first use is tried again on the next call. Each differ keeps its "in sync" verdicts in the
 * store's memo too ({@link StoredVerdicts}), so a restart in steady state sends no dry-run.
 *
 * <p>Which context an application's destination means: with named clusters ({@link #setClusters},
 * the server's settings) the cluster of that name, {@code in-cluster} and {@code
 * https://kubernetes.default.svc} being {@code local}; without, a context of the default kubeconfig
 * by name ({@link DestinationContext}: {@code local} is the current one). Clusters and projects may
 * be changed while running: an application whose cluster now means another context binds to it on
 * its next reconcile (a sync already running ends where it started), and new project rules take
 * effect on the next reconcile.
 */
public final class ClusterDestinations implements Destinations {

  private static final Logger log = LoggerFactory.getLogger(ClusterDestinations.class);

  private final ClusterConnections defaults;
  private final RepoCache repos;
  private final Renderer renderer;
  private final HealthRegistry health;
  private final Clock clock;
  private final DiffMemo memo;
  private final DestinationContext contexts = new DestinationContext();
  private final Map<Path, ClusterConnections> otherKubeconfigs = new ConcurrentHashMap<>();
  private final Map<String, Bound> bound = new ConcurrentHashMap<>();
  private final int parallelism;
  private final List<Consumer<GenericKubernetesResource>> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, ClusterTarget> named = Map.of();
  private volatile ProjectPolicy projects = ProjectPolicy.permitAll();
  private volatile EnvironmentWindows environmentWindows = EnvironmentWindows.none();

  /** One cluster's cache, its stored verdicts and, per set of health rules, its steps. */
  private record Bound(
      ClusterGateway cluster,
      LiveStateCache cache,
      InventoryStore inventories,
      Differ differ,
      Capabilities capabilities,
      Optional<StoredVerdicts> verdicts,
      Map<List<HealthRule>, ApplicationSync> byRules) {}

  /**
   * @param connections the default kubeconfig's contexts; closed by the caller
   * @param memo where the differs keep their verdicts ({@code Store.memo()})
   */
  public ClusterDestinations(
      ClusterConnections connections,
      RepoCache repos,
      Renderer renderer,
      HealthRegistry health,
      DiffMemo memo,
      Clock clock) {
    this(connections, repos, renderer, health, memo, clock, Differ.DEFAULT_PARALLELISM);
  }

  /**
   * @param parallelism how many requests one application's comparison or sync has in flight at
   *     once: its dry-runs, and the applies of one kind of a wave (as Argo CD's {@code
   *     --kubectl-parallelism-limit} and Flux's {@code --concurrent-ssa})
   */
  public ClusterDestinations(
      ClusterConnections connections,
      RepoCache repos,
      Renderer renderer,
      HealthRegistry health,
      DiffMemo memo,
      Clock clock,
      int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
    this.defaults = connections;
    this.memo = memo;
    this.repos = repos;
    this.renderer = renderer;
    this.health = health;
    this.clock = clock;
  }

  /**
   * The clusters applications may name, replacing those before; empty for "any context of the
   * default kubeconfig, by name".
   */
  public void setClusters(List<ClusterTarget> clusters) {
    Map<String, ClusterTarget> byName = new LinkedHashMap<>();
    clusters.forEach(c -> byName.put(c.name(), c));
    named = Map.copyOf(byName);
  }

  /** The projects' rules, replacing those before. */
  public void setProjects(ProjectPolicy projects) {
    this.projects = projects;
  }

  /** Where the environments' sync windows come from, replacing what was there before. */
  public void setEnvironmentWindows(EnvironmentWindows environmentWindows) {
    this.environmentWindows = environmentWindows;
  }

  @Override
  public ApplicationSync syncFor(Application application) {
    Bound b = boundFor(application);
    List<HealthRule> rules = projects.healthRules(application.project());
    return b.byRules().computeIfAbsent(rules, r -> steps(b, r));
  }

  @Override
  public Map<ObjectRef, List<OwnedObject>> owned(
      Application application, Collection<ObjectRef> objects) {
    Bound b = boundFor(application);
    List<HealthRule> rules = projects.healthRules(application.project());
    HealthRegistry judged = rules.isEmpty() ? health : health.withRules(rules);
    return new OwnerTree(b.cluster(), b.cache(), judged).of(objects);
  }

  private Bound boundFor(Application application) {
    ClusterTarget target = targetOf(application);
    String key =
        target.kubeconfig().map(Path::toString).orElse("") + "#" + target.context().orElse("");
    return bound.computeIfAbsent(key, k -> bind(target));
  }

  @Override
  public Optional<String> refusal(Application application, String namespace) {
    return projects.refusal(application, projectCluster(application), namespace);
  }

  @Override
  public SyncWindows syncWindows(Application application) {
    String cluster = projectCluster(application);
    return new SyncWindows(
            SyncWindow.matching(
                projects.syncWindows(application.project()),
                new Selector.Target(
                    application.name(), application.destination().namespace(), cluster)))
        .and(environmentWindows.of(application));
  }

  /** A project names clusters as the settings do: a server URL counts as the cluster it found. */
  private String projectCluster(Application application) {
    return named.isEmpty() ? clusterName(application) : targetOf(application).name();
  }

  /** The name of the application's destination cluster, aliases of {@code local} resolved. */
  private static String clusterName(Application application) {
    String cluster = application.destination().cluster().strip().replaceAll("/+$", "");
    return cluster.isEmpty() || DestinationContext.CURRENT.contains(cluster) ? "local" : cluster;
  }

  private ClusterTarget targetOf(Application application) {
    Map<String, ClusterTarget> clusters = named;
    if (clusters.isEmpty()) {
      return new ClusterTarget(
          application.destination().cluster(), Optional.empty(), contexts.contextFor(application));
    }
    String name = clusterName(application);
    ClusterTarget target = clusters.get(name);
    if (target == null && application.destination().isServerUrl()) {
      // Argo CD's destination.server: the cluster whose kubeconfig context points there.
      target =
          clusters.values().stream()
              .filter(c -> sameServer(serverOf(c), name))
              .findFirst()
              .orElse(null);
    }
    if (target == null) {
      throw TagflowException.invalidInput(
          application.origin()
              + ": destination cluster '"
              + application.destination().cluster()
              + "' of Application '"
              + application.name()
              + "' is none of the server's clusters ("
              + String.join(", ", clusters.keySet())
              + (application.destination().isServerUrl()
                  ? ", and none of their kubeconfig contexts points at that URL"
                  : "")
              + "); name one of them, or add it under clusters: in the settings");
    }
    return target;
  }

  private Optional<String> serverOf(ClusterTarget target) {
    return connectionsOf(target).serverOf(target.context());
  }

  private static boolean sameServer(Optional<String> server, String url) {
    return server.map(s -> s.replaceAll("/+$", "").equals(url)).orElse(false);
  }

  private ClusterConnections connectionsOf(ClusterTarget target) {
    return target
        .kubeconfig()
        .map(file -> otherKubeconfigs.computeIfAbsent(file, ClusterConnections::new))
        .orElse(defaults);
  }

  private Bound bind(ClusterTarget target) {
    ClusterConnections connections = connectionsOf(target);
    ClusterGateway cluster = connections.connect(target.context());
    // Read first: a cluster that does not answer leaves nothing behind to clean up.
    Capabilities capabilities = new DestinationCapabilities().of(cluster);
    LiveStateCache cache = new LiveStateCache(cluster);
    cache.addObjectListener(object -> listeners.forEach(l -> l.accept(object)));
    InventoryStore inventories = new InventoryStore(cluster, InventoryStore.DEFAULT_NAMESPACE);
    Optional<StoredVerdicts> verdicts = verdicts(cluster);
    Differ differ = new Differ(cluster, cache, parallelism, verdicts);
    return new Bound(
        cluster, cache, inventories, differ, capabilities, verdicts, new ConcurrentHashMap<>());
  }

  private ApplicationSync steps(Bound b, List<HealthRule> rules) {
    HealthRegistry judged = rules.isEmpty() ? health : health.withRules(rules);
    SyncEngine compares =
        new SyncEngine(b.cluster(), b.cache(), b.inventories(), judged, b.differ(), clock);
    // A sync judges each wave on the object as the API server has it right after the apply: the
    // cache may still hold the one from before, and call a rollout healthy that has not started.
    SyncEngine syncs =
        new SyncEngine(b.cluster(), b.cluster(), b.inventories(), judged, b.differ(), clock);
    return new ApplicationSync(repos, renderer, compares, syncs, b.capabilities());
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
    otherKubeconfigs.values().forEach(ClusterConnections::close);
    otherKubeconfigs.clear();
  }
}
