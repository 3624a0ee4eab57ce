package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.promote.EnvironmentHealth;
import dev.tagflow.promote.WriterOptions;
import dev.tagflow.reconcile.ReconcilerOptions;
import dev.tagflow.server.ControllerService;
import dev.tagflow.server.Observability;
import dev.tagflow.server.ServerConfig;
import dev.tagflow.server.TagflowDaemon;
import dev.tagflow.server.TlsFiles;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.auth.AdminToken;
import dev.tagflow.server.auth.PasswordHasher;
import dev.tagflow.server.auth.Sessions;
import dev.tagflow.server.config.HangupSignal;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.config.ServerSettingsReader;
import dev.tagflow.server.config.SettingsRead;
import dev.tagflow.server.config.SettingsWatcher;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.server.metrics.ServerMeters;
import dev.tagflow.server.notify.Notifier;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.repository.AddedRepositories;
import dev.tagflow.server.system.HeapRelease;
import dev.tagflow.server.ui.BoardSource;
import dev.tagflow.server.ui.DeliverySource;
import dev.tagflow.server.webhook.WebhookSecret;
import dev.tagflow.source.GitPoller;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RefTracker;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.RepoRegistry;
import dev.tagflow.store.DatabaseUrl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow server}: runs the daemon (webhooks, Git server, metrics) and the controller that
 * keeps the clusters equal to Git, until stopped.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Tagflow server: the controller (automated sync, self-heal, history) for the",
      "Applications of --apps and of the settings' folders in Git, webhooks, the built-in Git server at /git/<name>.git, /healthz,",
      "/readyz, /metrics and project notifications. Stops on Ctrl-C or SIGTERM, letting running syncs end their current step."
    })
final class ServerCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  /** How often the repository list is read again for the poller. */
  private static final Duration REGISTRY_REREAD = Duration.ofSeconds(30);

  /** The file of push tokens in the data directory, used unless --git-token-file is given. */
  static final String TOKEN_FILE = ServerAccessOptions.TOKEN_FILE;

  /** The repositories 'tagflow repo add' wrote, in the data directory. */
  static final String REPOSITORIES_FILE = "repositories.yaml";

  @Spec CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Mixin ServerListenOptions listen;

  @Mixin ServerAccessOptions access;

  @Mixin ServerPipelineOptions pipelineOptions;

  @Option(
      names = "--repo",
      paramLabel = "<url>",
      description =
          "A repository URL webhooks may name, besides those of 'tagflow repo add'; repeatable.")
  List<String> repositories = List.of();

  @Option(
      names = "--config",
      paramLabel = "<file>",
      description = {
        "The settings file (docs/server-config.md): listen address, data directory, database,",
        "clusters, repositories, application folders, projects. Read again when it changes and",
        "on SIGHUP; flags given as well win over it. Without it, the repositories are those of",
        "'tagflow repo add'; with it, those of the file."
      })
  Path config;

  @Option(
      names = "--apps",
      paramLabel = "<dir>",
      description =
          "A directory of Application files (Tagflow's or Argo CD's) the controller runs; read"
              + " at start and again on every change.")
  Path apps;

  @Option(
      names = "--kubeconfig",
      paramLabel = "<file>",
      description =
          "The clusters: destination.cluster 'local' is its current context, other names its"
              + " contexts (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--database",
      paramLabel = "<url>",
      description =
          "Where statuses, sync history and events are kept: jdbc:sqlite:<file> or"
              + " jdbc:postgresql://host:5432/<db> (default: SQLite in <data-dir>/tagflow.db).")
  String database;

  @Option(
      names = "--poll-interval",
      defaultValue = "3m",
      paramLabel = "<duration>",
      description =
          "How often repositories are polled for new commits, e.g. 30s, 3m (default:"
              + " ${DEFAULT-VALUE}); webhooks and pushes to the Git server need no wait.")
  String pollInterval;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    pipelineOptions.check();
    listen.check();
    // As 'tagflow repo add' does: a URL is shown in logs, answers and metrics, a secret is not.
    for (String repository : repositories) {
      if (UrlRedaction.hasCredentials(repository)) {
        throw TagflowException.invalidInput(
            "--repo "
                + UrlRedaction.redact(repository)
                + " holds credentials (before its '@'), and Tagflow keeps secrets only in files:"
                + " add it with 'tagflow repo add "
                + UrlRedaction.redact(repository)
                + " --token-file <file>' (or --username <user> --password-file <file>) instead");
      }
    }
    // Read before anything is created: a file with mistakes starts nothing.
    ServerSettingsReader reader = ServerSettingsReader.forUser();
    Optional<ServerSettings> file = Optional.ofNullable(config).map(f -> settings(reader, f));
    Path data =
        dataDir.dataDir != null
            ? dataDir.resolve()
            : file.flatMap(ServerSettings::dataDir).orElseGet(dataDir::resolve);
    Duration pollEvery = DiffCommand.duration(pollInterval);
    DatabaseUrl databaseUrl =
        database != null
            ? DatabaseUrl.parse(database, "--database")
            : file.flatMap(ServerSettings::database).orElseGet(() -> DatabaseUrl.inDataDir(data));
    Optional<WebhookSecret> secret = access.webhookSecret(file);
    AccessTokens tokens = access.tokens(data, file, out);
    ServerConfig serverConfig = listen.config(file, data, this::given);

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMeters jvmMeters = ServerMeters.configure(meters);
    Optional<FollowedRepositories.Configured> configured =
        file.map(FollowedRepositories.Configured::new);
    FollowedRepositories fromFileOrRegistry =
        configured
            .<FollowedRepositories>map(fromFile -> fromFile)
            .orElseGet(
                () ->
                    new FollowedRepositories.Registered(
                        new RepoRegistry(data.resolve(REPOSITORIES_FILE))));
    if (config != null && Files.exists(data.resolve(REPOSITORIES_FILE))) {
      log.info(
          "{} ('tagflow repo add') is not read: with --config the repositories are those of {}",
          data.resolve(REPOSITORIES_FILE),
          config);
    }
    // The server's own components reach its Git server with a token of their own, made now.
    // Those added over the API join once the store is open (with the controller, below).
    AtomicReference<FollowedRepositories> followedNow = new AtomicReference<>(fromFileOrRegistry);
    OwnGitCredentials own =
        OwnGitCredentials.create(data, url -> followedNow.get().credentialsFor(url));
    RemoteAccess remotes = new RemoteAccess(own, Duration.ofSeconds(60), meters);
    RefTracker tracker = new RefTracker(remotes, meters, Clock.systemUTC());
    List<String> extra = List.copyOf(repositories);
    RepoCache cache = new RepoCache(data.resolve("repos"), remotes, meters, Clock.systemUTC());
    // The store is opened before anything listens: a database that cannot be opened stops the
    // start with its message.
    ControllerService controller =
        new ControllerService(
            new ControllerService.Settings(
                data,
                databaseUrl,
                kubeconfigPath(),
                Optional.ofNullable(apps).map(Path::toAbsolutePath),
                new KubectlFinder().find(),
                file.map(ServerCommand::reconcilerOptions).orElseGet(ReconcilerOptions::defaults)),
            cache,
            meters);
    FollowedRepositories followed =
        new FollowedRepositories.WithAdded(
            fromFileOrRegistry,
            new AddedRepositories(
                controller.store().repositories(),
                controller.store().secrets(),
                data,
                Clock.systemUTC()),
            pollEvery);
    followedNow.set(followed);
    // Metrics and notifications hear the controller from its first status on.
    Observability observability =
        new Observability(controller, meters, Notifier.Options.defaults(), Clock.systemUTC());
    // The file's clusters, projects and folders of Application files in Git, followed on reload.
    file.ifPresent(settings -> controller.follow(settings, config.toString()));
    file.ifPresent(observability::follow);
    // Polling is the third source of ref events, beside webhooks and the Git server; its first
    // poll of each repository also sets the baseline that later webhooks are compared with.
    GitPoller poller =
        new GitPoller(
            tracker,
            cache,
            new GitPoller.Options(pollEvery, GitPoller.Options.DEFAULTS.jitter()),
            RandomGenerator.getDefault());
    PolledRepositories polled = new PolledRepositories(followed, controller, poller, pollEvery);
    polled.refresh();

    // The built-in roles and the file's rbac.policy lines (already checked when the file was read).
    String policySource = config + " rbac.policy";
    Authorizer authorizer =
        file.flatMap(s -> s.security().policy())
            .map(lines -> Authorizer.withConfigured(policySource, lines))
            .orElseGet(Authorizer::builtinOnly);
    Optional<TlsFiles> tls = listen.tls(file);
    AccessControl.Settings accessSettings =
        new AccessControl.Settings(
            Sessions.Lifetimes.DEFAULTS,
            file.map(s -> s.security().trustedProxies()).orElse(List.of()),
            false,
            PasswordHasher.OWASP);
    Optional<SettingsWatcher> watcher =
        configured.map(
            fromFile ->
                new SettingsWatcher(
                    config,
                    reader,
                    file.orElseThrow(),
                    pinnedByFlags(),
                    List.of(
                        fromFile,
                        change -> {
                          controller.follow(change.current(), config.toString());
                          observability.follow(change.current());
                          polled.refresh();
                        },
                        change -> {
                          if (change.policyChanged()) {
                            authorizer.reload(
                                policySource, change.current().security().policy().orElse(""));
                          }
                        }),
                    Clock.systemUTC(),
                    SettingsWatcher.DEFAULT_QUIET_TIME));
    // The pipeline's writer of environment repositories; the web UI's approvals inbox decides
    // promotion requests through it too, with the same rules as 'tagflow approvals approve'.
    EnvRepoWriter promotions =
        new EnvRepoWriter(
            data.resolve("promote"),
            remotes,
            observability.promotions(controller.promotions()),
            EnvironmentHealth.of(controller.statuses()),
            WriterOptions.defaults());
    TagflowDaemon daemon =
        new TagflowDaemon(
            serverConfig,
            tracker,
            // Read at each delivery, so what the file, 'tagflow repo add' or a new Application adds
            // needs no restart.
            () ->
                Stream.concat(
                        Stream.concat(followed.urls().stream(), extra.stream()),
                        controller.repositories().stream())
                    .distinct()
                    .toList(),
            secret,
            tokens,
            own,
            meters,
            () -> watcher.map(SettingsWatcher::status),
            controller::readiness,
            new AccessControl.Sources(
                controller.store(), authorizer, accessSettings, Clock.systemUTC(), tls),
            Optional.of(controller.reconciler()),
            BoardSource.of(controller),
            new DeliverySource(
                controller.store(),
                Optional.of(promotions),
                () -> observability.notifier().recent(DeliverySource.DELIVERIES_SHOWN)));
    // Before anything listens: a token file others may read stops the start here.
    AdminToken.ensure(data, daemon.access().tokens(), out);
    // A repository added or removed over the API is polled, or no longer, at once.
    daemon.addedRepositories().onChange(polled::refresh);
    ScheduledExecutorService registryWatch =
        Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    registryWatch.scheduleWithFixedDelay(
        () -> {
          try {
            daemon.access().sessions().sweep();
          } catch (RuntimeException e) {
            log.warn("could not remove ended sessions: {}", e.getMessage());
          }
        },
        10,
        10,
        TimeUnit.MINUTES);
    HeapRelease.ofThisJvm(
            () -> {
              controller.forgetRenders();
              controller.store().releaseCaches();
            })
        .scheduleOn(registryWatch);
    if (watcher.isEmpty()) {
      // 'tagflow repo add' writes repositories.yaml beside a running server; read it again only
      // when it changed (an add over the API and a new Application refresh by their own hooks).
      FileStamp registry = new FileStamp(data.resolve(REPOSITORIES_FILE));
      registryWatch.scheduleWithFixedDelay(
          () -> {
            if (registry.changed()) {
              polled.refresh();
            }
          },
          REGISTRY_REREAD.toSeconds(),
          REGISTRY_REREAD.toSeconds(),
          TimeUnit.SECONDS);
    }
    controller.start();
    // 'tagflow repo add' or a new Application while the server runs: the poller follows both.
    // Listened to after the start's reading, which the refresh below covers at once: a refresh
    // per application (each reading the repository list again) slowed a start with many files.
    controller.onApplicationsChanged(polled::refresh);
    polled.refresh();
    daemon.start();
    observability.servingAt(daemon.server().url());
    watcher.ifPresent(SettingsWatcher::start);
    Optional<HangupSignal> hangup =
        watcher.flatMap(w -> HangupSignal.install(() -> w.reload("SIGHUP")));
    // The release pipeline: runs a stopped server left running are marked interrupted before any
    // new event is taken.
    PipelineService pipeline =
        pipelineOptions.pipeline(
            data,
            file,
            controller,
            observability,
            followed,
            cache,
            remotes,
            meters,
            promotions,
            () -> daemon.server().url());
    daemon.serve(pipeline, promotions);
    List<String> interrupted = pipeline.start();
    if (!interrupted.isEmpty()) {
      log.info("runs interrupted by the last stop: {}", interrupted);
    }
    // Every ref change (webhook, push to the Git server, poll) reaches the controller, then the
    // release pipeline, once the mirror has the commit.
    Consumer<RefChanged> listener = controller.listener(pipeline::onRefChanged);
    daemon.eventSources().forEach(source -> source.start(listener));
    poller.start(listener);

    CountDownLatch stopped = new CountDownLatch(1);
    new ServerShutdown(
            hangup,
            watcher,
            registryWatch,
            poller,
            daemon,
            pipeline,
            controller,
            observability,
            jvmMeters,
            cache,
            remotes)
        .installHook(stopped);
    URI url = daemon.server().url();
    out.println("Tagflow server listening on " + url);
    out.println("  Git repositories: " + url + "/git/<name>.git (data in " + data + ")");
    out.println(
        "  Controller: "
            + controller.reconciler().registry().list().size()
            + " applications"
            + (apps == null ? "" : " (--apps " + apps.toAbsolutePath() + ")")
            + file.map(
                    s ->
                        s.applications().isEmpty()
                            ? ""
                            : " (" + s.applications().size() + " folders in Git)")
                .orElse("")
            + "; store "
            + databaseUrl.redacted());
    if (secret.isEmpty()) {
      out.println("  Webhooks: refused until --webhook-secret-file is given");
    } else {
      out.println("  Webhooks: " + url + "/api/webhooks/github, " + url + "/api/webhooks/gitlab");
    }
    if (config != null) {
      out.println(
          "  Settings: "
              + config
              + " (read again when it changes"
              + (hangup.isPresent() ? " and on SIGHUP" : "")
              + "; state at "
              + url
              + "/healthz)");
    }
    out.flush();
    stopped.await();
    return ExitCode.OK;
  }

  /** The controller's pacing as the file's {@code reconcile} says. */
  private static ReconcilerOptions reconcilerOptions(ServerSettings settings) {
    ServerSettings.Reconcile pacing = settings.reconcile();
    return ReconcilerOptions.defaults()
        .withResyncInterval(pacing.interval())
        .withConcurrency(pacing.concurrency())
        .withSelfHealGrace(pacing.selfHealGrace());
  }

  /** The settings of the file, or the command's failure with every problem of it. */
  private static ServerSettings settings(ServerSettingsReader reader, Path file) {
    return switch (reader.read(file)) {
      case SettingsRead.Loaded loaded -> loaded.settings();
      case SettingsRead.Refused refused -> throw TagflowException.invalidInput(refused.message());
    };
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** The settings the command line decides, so that their changes in the file need no restart. */
  private Set<String> pinnedByFlags() {
    Set<String> pinned = new HashSet<>();
    if (given("--host") && given("--port")) {
      pinned.add("listen");
    }
    if (dataDir.dataDir != null) {
      pinned.add("dataDir");
    }
    if (given("--public-url")) {
      pinned.add("publicUrl");
    }
    if (given("--webhook-secret-file")) {
      pinned.add("webhookSecretFile");
    }
    if (given("--git-token-file")) {
      pinned.add("gitTokenFile");
    }
    if (given("--actions-source")) {
      pinned.add("actionsSource");
    }
    return pinned;
  }

  /** The flag's file, else $KUBECONFIG's first, else kubectl's; read only when first needed. */
  private Path kubeconfigPath() {
    if (kubeconfig != null) {
      return kubeconfig.toAbsolutePath();
    }
    String env = System.getenv("KUBECONFIG");
    return env != null && !env.isBlank()
        ? Path.of(env.split(java.io.File.pathSeparator)[0])
        : Path.of(System.getProperty("user.home"), ".kube", "config");
  }
}
