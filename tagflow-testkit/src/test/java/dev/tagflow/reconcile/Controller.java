package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.Renderer;
import dev.tagflow.source.GitPoller;
import dev.tagflow.source.GitRevert;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RefTracker;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The controller as {@code tagflow server} wires it, over the testkit's cluster and real Git: a
 * poller whose {@link #poll} is what a webhook or the poll interval would do, a store on a SQLite
 * file, and the reconciler. Closing it keeps the store's file, so a new one on the same folder is a
 * restart.
 */
final class Controller implements AutoCloseable {

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ApplicationRegistry registry = ApplicationRegistry.withDefaults();
  final RepoCache repos;
  final Renderer renderer;
  final ClusterConnections connections;
  final ClusterDestinations destinations;
  final Store store;
  final Reconciler reconciler;
  private final RemoteAccess remotes;
  private final GitPoller poller;
  private final List<Consumer<RefChanged>> refListeners = new CopyOnWriteArrayList<>();

  Controller(LocalCluster cluster, Path root, ReconcilerOptions options) {
    this(cluster, root, options, Optional.empty());
  }

  /** A controller that saves syncs in flight with {@code codec}, so they resume after a restart. */
  Controller(
      LocalCluster cluster, Path root, ReconcilerOptions options, Optional<SyncStateCodec> codec) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    remotes = RemoteAccess.anonymous(meters);
    repos = new RepoCache(root.resolve("mirrors"), remotes, meters, Clock.systemUTC());
    renderer =
        new Renderer(
            repos, RenderOptions.defaults(root.resolve("render"), Optional.empty()), meters);
    connections = new ClusterConnections(cluster.kubeconfig());
    destinations =
        new ClusterDestinations(
            connections, repos, renderer, HealthRegistry.builtIn(), Clock.systemUTC());
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(root)));
    reconciler =
        new Reconciler(
            registry,
            destinations,
            store,
            codec,
            Optional.of(new GitRevert(repos, "Tagflow", "tagflow@tagflow.dev")),
            options,
            Clock.systemUTC(),
            RandomGenerator.getDefault(),
            meters);
    poller =
        new GitPoller(
            new RefTracker(remotes, meters, Clock.systemUTC()),
            repos,
            new GitPoller.Options(Duration.ofHours(1), 0.1),
            RandomGenerator.getDefault());
    poller.start(
        change -> {
          refListeners.forEach(l -> l.accept(change));
          reconciler.onRefChanged(change);
        });
  }

  /** Quick options: long resyncs (so a test sees its triggers at work), short grace and waits. */
  static ReconcilerOptions options() {
    return ReconcilerOptions.defaults()
        .withResyncInterval(Duration.ofMinutes(30))
        .withSelfHealGrace(Duration.ofSeconds(2))
        .withWaitTimeout(Duration.ofSeconds(90));
  }

  Controller start() {
    reconciler.start();
    return this;
  }

  /** Hears ref changes before the reconciler, as the server's folders of Application files do. */
  void onRefChanged(Consumer<RefChanged> listener) {
    refListeners.add(listener);
  }

  /** What a push seen by a webhook or the poller does: fetch, and tell the reconciler. */
  void poll(String repository) {
    poller.poll(repository);
  }

  /** Registers the applications as the only ones of a test source. */
  void run(Application... applications) {
    registry.replace("test", List.of(applications), List.of());
  }

  ApplicationStatuses statuses() {
    return reconciler.statuses();
  }

  ApplicationStatus status(String application) {
    return statuses().get(application).orElseThrow();
  }

  /** The gateway of the current context, whose requests are counted. */
  ClusterGateway cluster() {
    return connections.connect(Optional.empty());
  }

  /** Requests sent to the API server so far, watches aside. */
  long requests() {
    Map<String, Long> byMethod = cluster().requests().byMethod();
    return byMethod.entrySet().stream()
        .filter(e -> !e.getKey().equals("WATCH"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Renders asked of the renderer so far (cache hits included). */
  long renders() {
    return meters.find("tagflow.render").timers().stream().mapToLong(Timer::count).sum();
  }

  /** Server-side dry-runs the differ of the current context sent so far. */
  long dryRuns(Application application) {
    return destinations.syncFor(application).engine().differ().dryRunCount();
  }

  /** An Application of ours reading {@code path} of the repository at main. */
  static Application application(
      String name, String repoUrl, String path, String namespace, String syncPolicy) {
    return application(
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: %s}
          destination: {cluster: local, namespace: %s}
          syncPolicy: %s
        """
            .formatted(name, repoUrl, path, namespace, syncPolicy));
  }

  static Application application(String yaml) {
    return new ApplicationLoader().load("test.yaml", yaml).getFirst();
  }

  @Override
  public void close() {
    reconciler.close(Duration.ofSeconds(10));
    poller.close();
    destinations.close();
    connections.close();
    store.close();
    renderer.close();
    repos.close();
    remotes.close();
  }
}
