package dev.tagflow.server;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.app.SourceType;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.RequestCounter;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.reconcile.ApplicationFiles;
import dev.tagflow.reconcile.ApplicationRegistry;
import dev.tagflow.reconcile.ApplicationStatuses;
import dev.tagflow.reconcile.ClusterDestinations;
import dev.tagflow.reconcile.ClusterTarget;
import dev.tagflow.reconcile.GitApplications;
import dev.tagflow.reconcile.Reconciler;
import dev.tagflow.reconcile.ReconcilerOptions;
import dev.tagflow.reconcile.SyncStateCodec;
import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.Renderer;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.system.Probe;
import dev.tagflow.source.GitRevert;
import dev.tagflow.source.MirrorCatchUp;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RepoCache;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.PromotionStore;
import dev.tagflow.store.RunStore;
import dev.tagflow.store.SecretStore;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import dev.tagflow.yaml.YamlLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller inside the server: the store, the clusters, the renderer and the {@link
 * Reconciler}, fed by a directory of Application files ({@code --apps}) and the settings' folders
 * of Application files in Git ({@link #follow}). The server hands it ref changes ({@link
 * #listener()}) and polls the repositories its applications read ({@link #repositories()}).
 */
public final class ControllerService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControllerService.class);

  /**
   * What the controller is built from.
   *
   * @param dataDir Tagflow's data directory (the renderer's work folder goes there)
   * @param database where statuses, history and events are kept ({@code <dataDir>/tagflow.db})
   * @param kubeconfig the clusters: {@code destination.cluster: local} is its current context, any
   *     other name one of its contexts; read when an application first needs it
   * @param applications a directory of Application files, read at start and on every change
   * @param kubectl the kubectl that builds Kustomize overlays, when there is one
   * @param options how the reconciler runs
   */
  public record Settings(
      Path dataDir,
      DatabaseUrl database,
      Path kubeconfig,
      Optional<Path> applications,
      Optional<Path> kubectl,
      ReconcilerOptions options) {
    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(database, "database");
      Objects.requireNonNull(kubeconfig, "kubeconfig");
      Objects.requireNonNull(applications, "applications");
      Objects.requireNonNull(kubectl, "kubectl");
      Objects.requireNonNull(options, "options");
    }
  }

  private final Settings settings;
  private final RepoCache repos;
  private final Store store;
  private final Renderer renderer;
  private final ClusterConnections connections;
  private final ClusterDestinations destinations;
  private final ApplicationRegistry registry = ApplicationRegistry.withDefaults();
  private final Reconciler reconciler;
  private final Optional<ApplicationFiles> files;
  private final ApplicationLoader loader = new ApplicationLoader();
  private final Map<String, GitApplications> gitSources = new ConcurrentHashMap<>();
  private final Map<Path, ClusterConnections> probed = new ConcurrentHashMap<>();
  private volatile List<ClusterTarget> clusters = List.of();
  private boolean started;

  /**
   * Opens the store and builds the controller; nothing runs until {@link #start()}.
   *
   * @throws TagflowException when the store cannot be opened or the applications directory does not
   *     exist: the server must not start half-way
   */
  public ControllerService(Settings settings, RepoCache repos, MeterRegistry meters) {
    this.settings = settings;
    this.repos = repos;
    if (settings.applications().isPresent() && !Files.isDirectory(settings.applications().get())) {
      throw TagflowException.invalidInput(
          "--apps "
              + settings.applications().get()
              + " is not a directory; give the folder that holds your Application files");
    }
    this.store = JdbcStore.open(StoreOptions.defaults(settings.database()));
    this.renderer =
        new Renderer(
            repos,
            RenderOptions.defaults(settings.dataDir().resolve("render"), settings.kubectl()),
            meters);
    this.connections = new ClusterConnections(settings.kubeconfig());
    this.destinations =
        new ClusterDestinations(
            connections,
            repos,
            renderer,
            HealthRegistry.builtIn(),
            store.memo(),
            Clock.systemUTC());
    // The environment policy's sync windows, judged with the project's.
    destinations.setEnvironmentWindows(new PolicyWindows(repos, YamlLimits.defaults()));
    this.reconciler =
        new Reconciler(
            registry,
            destinations,
            store,
            // A sync in flight when the process stopped resumes from its saved state.
            Optional.of(SyncStateCodec.json()),
            // The rollback policy's revert commits, pushed with the repository's credentials.
            Optional.of(new GitRevert(repos, "Tagflow", "tagflow@tagflow.dev")),
            settings.options(),
            Clock.systemUTC(),
            RandomGenerator.getDefault(),
            meters);
    this.files = settings.applications().map(dir -> new ApplicationFiles(dir, registry, loader));
  }

  /**
   * Follows the settings file: its clusters are those applications may name, its projects are
   * enforced, and each of its {@code applications} sources is read (now, and whenever its
   * repository's refs move). Called with the settings the server started with and again with each
   * valid new version: an added source is read at once; a removed one hands the registry no
   * applications, which its removal breaker holds when that would remove more than one.
   *
   * @param file the settings file, for messages
   */
  public synchronized void follow(ServerSettings settings, String file) {
    clusters =
        settings.clusters().stream()
            .map(c -> new ClusterTarget(c.name(), c.kubeconfig(), c.context()))
            .toList();
    destinations.setClusters(clusters);
    destinations.setProjects(new SettingsProjects(settings, file));
    if (started) {
      // What a project allows, or where a cluster is, may have changed for any of them.
      registry.list().forEach(r -> reconciler.refresh(r.application().name()));
    }
    Map<String, GitApplications.Location> wanted = new LinkedHashMap<>();
    for (ServerSettings.ApplicationFiles source : settings.applications()) {
      // The reader checked that the repository is one of the file's.
      ServerSettings.Repository repository = settings.repository(source.repository()).orElseThrow();
      GitApplications.Location location =
          new GitApplications.Location(
              repository.name(), repository.url(), source.revision(), source.path());
      wanted.put(location.source(), location);
    }
    for (String gone : List.copyOf(gitSources.keySet())) {
      if (!wanted.containsKey(gone)) {
        gitSources.remove(gone);
        registry.replace(
            gone,
            List.of(),
            List.of(
                new ApplicationRegistry.SourceProblem(
                    gone, file, "no longer in the settings' applications")));
        log.info("source={} removed from the settings", gone);
      }
    }
    for (GitApplications.Location location : wanted.values()) {
      GitApplications existing = gitSources.get(location.source());
      if (existing == null || !existing.location().equals(location)) {
        GitApplications source = new GitApplications(location, repos, registry, loader);
        gitSources.put(location.source(), source);
        if (started) {
          source.load();
        }
      }
    }
  }

  /**
   * Reads the applications directory and the folders in Git, watches the directory, then starts
   * reconciling them all. Registering first keeps the reconciles of the first applications from
   * competing (for the CPU and the store's write lock) with registering the rest: with 1,000 files
   * on a loaded machine that made the start last minutes.
   */
  public synchronized ControllerService start() {
    started = true;
    gitSources.values().forEach(GitApplications::load);
    files.ifPresent(
        f -> {
          f.load();
          f.watch();
          log.info(
              "controller reads Application files from {}: {} applications",
              settings.applications().get(),
              registry.list().size());
        });
    reconciler.start();
    return this;
  }

  /** Where ref changes go: the mirror catches up, then the applications reading it reconcile. */
  public Consumer<RefChanged> listener() {
    return listener(change -> {});
  }

  /**
   * Where ref changes go, handed on after the controller's own listeners to {@code also} (the
   * release pipeline), once the mirror has the commit.
   */
  public Consumer<RefChanged> listener(Consumer<RefChanged> also) {
    return new MirrorCatchUp(
        repos,
        change -> {
          // The folders of Application files first: an application a commit adds reconciles at
          // that commit when it is registered.
          gitSources.values().forEach(source -> source.onRefChanged(change));
          reconciler.onRefChanged(change);
          also.accept(change);
        });
  }

  /** The store, for the API's tokens, users, sessions and audit log. */
  public Store store() {
    return store;
  }

  /** The store's pipeline runs, for the release pipeline of the same server. */
  public RunStore runs() {
    return store.runs();
  }

  /** The store's record of the images runs pushed, for the release pipeline. */
  public BuiltImageStore builtImages() {
    return store.builtImages();
  }

  /** The store's sealed secrets, for the release pipeline's runs. */
  public SecretStore secrets() {
    return store.secrets();
  }

  /** The store's promotion requests, for the release pipeline's {@code tagflow/promote} steps. */
  public PromotionStore promotions() {
    return store.promotions();
  }

  /**
   * The repositories the registered applications read (sources and charts) and those of the folders
   * of Application files, to poll.
   */
  public Set<String> repositories() {
    Set<String> urls = new LinkedHashSet<>();
    gitSources.values().forEach(source -> urls.add(source.location().url()));
    for (ApplicationRegistry.Registered registered : registry.list()) {
      Application application = registered.application();
      urls.add(application.source().repoURL());
      if (application.source().type() instanceof SourceType.Helm helm) {
        helm.chart().flatMap(c -> c.repoURL()).ifPresent(urls::add);
      }
    }
    return urls;
  }

  /** Calls the runnable whenever the registered applications change. */
  public void onApplicationsChanged(Runnable runnable) {
    registry.addListener(change -> runnable.run());
  }

  /** Forgets the renders kept for a burst of work ({@link Renderer#forgetRenders}). */
  public void forgetRenders() {
    renderer.forgetRenders();
  }

  /**
   * What {@code /readyz} asks: whether the store answers a read, and the API server of each cluster
   * of the settings (without settings, the kubeconfig's current context) its version.
   */
  public List<Probe> readiness() {
    List<Probe> probes = new ArrayList<>();
    probes.add(
        new Probe(
            "store",
            () -> {
              store.statuses().get("tagflow-readiness-probe");
              return settings.database().redacted();
            }));
    List<ClusterTarget> targets =
        clusters.isEmpty()
            ? List.of(new ClusterTarget("local", Optional.empty(), Optional.empty()))
            : clusters;
    for (ClusterTarget target : targets) {
      probes.add(
          new Probe(
              "cluster/" + target.name(),
              () -> {
                ClusterConnections of =
                    target
                        .kubeconfig()
                        .map(file -> probed.computeIfAbsent(file, ClusterConnections::new))
                        .orElse(connections);
                return of.connect(target.context()).kubeVersion();
              }));
    }
    return probes;
  }

  public ApplicationStatuses statuses() {
    return reconciler.statuses();
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /**
   * The requests sent so far to the API server of the current context ({@code destination.cluster:
   * local}), by method: what benchmarks count.
   */
  public RequestCounter requests() {
    return connections.connect(Optional.empty()).requests();
  }

  /**
   * Stops taking work, lets each running reconcile end its current step (saved), and closes the
   * watches, the store and the renderer.
   *
   * @return whether the running reconciles ended within the grace period
   */
  public boolean close(Duration grace) {
    files.ifPresent(ApplicationFiles::close);
    boolean ended = reconciler.close(grace);
    destinations.close();
    connections.close();
    probed.values().forEach(ClusterConnections::close);
    store.close();
    renderer.close();
    deleteRenderFolder();
    return ended;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(20));
  }

  private void deleteRenderFolder() {
    try {
      Files.deleteIfExists(settings.dataDir().resolve("render"));
    } catch (IOException e) {
      // The renderer removed what it wrote; an empty folder left behind is harmless.
      log.debug("render folder left: {}", e.getMessage());
    }
  }
}
