package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.pipeline.action.ActionSource;
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
import dev.tagflow.server.ui.BoardSource;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  /** How long a stop waits for running reconciles to end their current step. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  /** How many jobs of one pipeline run go at once. */
  private static final int MAX_JOBS = 4;

  /** The file of push tokens in the data directory, used unless --git-token-file is given. */
  static final String TOKEN_FILE = "git-tokens";

  /** The repositories 'tagflow repo add' wrote, in the data directory. */
  static final String REPOSITORIES_FILE = "repositories.yaml";

  @Spec CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(
      names = "--host",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--public-url",
      paramLabel = "<url>",
      description = "The URL clients use, when it differs from the address listened on.")
  URI publicUrl;

  @Option(
      names = "--webhook-secret-file",
      paramLabel = "<file>",
      description = "File holding the secret of GitHub/GitLab webhooks; without it they get 403.")
  Path webhookSecretFile;

  @Option(
      names = "--git-token-file",
      paramLabel = "<file>",
      description =
          "File of tokens that may clone, fetch and push, one per line (default: <data-dir>/"
              + TOKEN_FILE
              + ", created with a random token on first start).")
  Path gitTokenFile;

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
      names = "--actions-source",
      paramLabel = "<url>",
      description = {
        "Where workflows' remote actions (uses: owner/repo@ref) are fetched from:",
        "<url>/<owner>/<repo>.git (default: the settings' actionsSource, else https://github.com),",
        "or a URL with {owner} and {repo}",
        "in it; for this server's own Git server http://127.0.0.1:7070/git/{owner}-{repo}.git.",
        "Its credentials are the repositories' (docs/workflows.md, Actions)."
      })
  String actionsSource;

  @Option(
      names = "--tls-cert-file",
      paramLabel = "<file>",
      description = "PEM certificate chain to serve HTTPS with (with --tls-key-file).")
  Path tlsCertFile;

  @Option(
      names = "--tls-key-file",
      paramLabel = "<file>",
      description = "PEM private key of --tls-cert-file (unencrypted, readable by you only).")
  Path tlsKeyFile;

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

  @Option(
      names = "--max-runs",
      defaultValue = "4",
      paramLabel = "<n>",
      description =
          "How many pipeline runs go at once (default: ${DEFAULT-VALUE}); more wait their turn,"
              + " stored as queued, and start after a restart if the server stops first.")
  int maxRuns;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (maxRuns < 1 || maxRuns > 64) {
      throw TagflowException.invalidInput("--max-runs must be between 1 and 64, not " + maxRuns);
    }
    if (port < 0 || port > 65535) {
      throw TagflowException.invalidInput("--port must be between 0 and 65535, not " + port);
    }
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
    Optional<WebhookSecret> secret =
        Optional.ofNullable(webhookSecretFile)
            .or(() -> file.flatMap(ServerSettings::webhookSecretFile))
            .map(WebhookSecret::fromFile);
    AccessTokens tokens =
        tokens(
            data,
            Optional.ofNullable(gitTokenFile).or(() -> file.flatMap(ServerSettings::gitTokenFile)),
            out);
    ServerConfig serverConfig =
        new ServerConfig(
            given("--host") ? host : file.map(s -> s.listen().host()).orElse(host),
            given("--port") ? port : file.map(s -> s.listen().port()).orElse(port),
            data,
            Optional.ofNullable(publicUrl).or(() -> file.flatMap(ServerSettings::publicUrl)));

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMeters jvmMeters = ServerMeters.configure(meters);
    Optional<FollowedRepositories.Configured> configured =
        file.map(FollowedRepositories.Configured::new);
    FollowedRepositories followed =
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
    OwnGitCredentials own = OwnGitCredentials.create(data, followed::credentialsFor);
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
    followRepositories(followed, controller, poller, pollEvery);

    // The built-in roles and the file's rbac.policy lines (already checked when the file was read).
    String policySource = config + " rbac.policy";
    Authorizer authorizer =
        file.flatMap(s -> s.security().policy())
            .map(lines -> Authorizer.withConfigured(policySource, lines))
            .orElseGet(Authorizer::builtinOnly);
    Optional<TlsFiles> tls = tls(file);
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
                          followRepositories(followed, controller, poller, pollEvery);
                        },
                        change -> {
                          if (change.policyChanged()) {
                            authorizer.reload(
                                policySource, change.current().security().policy().orElse(""));
                          }
                        }),
                    Clock.systemUTC(),
                    SettingsWatcher.DEFAULT_QUIET_TIME));
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
            BoardSource.of(controller));
    // Before anything listens: a token file others may read stops the start here.
    AdminToken.ensure(data, daemon.access().tokens(), out);
    // 'tagflow repo add' or a new Application while the server runs: the poller follows both.
    controller.onApplicationsChanged(
        () -> followRepositories(followed, controller, poller, pollEvery));
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
    if (watcher.isEmpty()) {
      registryWatch.scheduleWithFixedDelay(
          () -> followRepositories(followed, controller, poller, pollEvery),
          REGISTRY_REREAD.toSeconds(),
          REGISTRY_REREAD.toSeconds(),
          TimeUnit.SECONDS);
    }
    controller.start();
    followRepositories(followed, controller, poller, pollEvery);
    daemon.start();
    observability.servingAt(daemon.server().url());
    watcher.ifPresent(SettingsWatcher::start);
    Optional<HangupSignal> hangup =
        watcher.flatMap(w -> HangupSignal.install(() -> w.reload("SIGHUP")));
    // The release pipeline: runs a stopped server left running are marked interrupted before any
    // new event is taken.
    // Its tagflow/promote steps write environment repositories with the server's own access, and
    // an environment that comes after another asks the controller whether that one was Healthy.
    EnvRepoWriter promotions =
        new EnvRepoWriter(
            data.resolve("promote"),
            remotes,
            observability.promotions(controller.promotions()),
            EnvironmentHealth.of(controller.statuses()),
            WriterOptions.defaults());
    ServerRunSources runSources =
        new ServerRunSources(
            data, controller.secrets(), followed, cache, () -> daemon.server().url());
    PipelineService pipeline =
        new PipelineService(
            data,
            new PipelineService.Parts(
                cache::mirrorPath,
                observability.runs(controller.runs()),
                controller.builtImages(),
                runSources,
                runSources,
                Optional.of(promotions),
                file.map(ServerSettings::pipeline)
                    .orElse(ServerSettings.Pipeline.DEFAULTS)
                    .builtIns(),
                Optional.of(
                    new ActionSource(
                        data,
                        Optional.ofNullable(actionsSource)
                            .or(() -> file.flatMap(ServerSettings::actionsSource))
                            .orElse(ActionSource.DEFAULT_BASE),
                        remotes,
                        meters))),
            maxRuns,
            MAX_JOBS,
            Clock.systemUTC());
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
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Stop the sources first, so no new work arrives while the controller ends.
                  hangup.ifPresent(HangupSignal::close);
                  watcher.ifPresent(SettingsWatcher::close);
                  registryWatch.shutdownNow();
                  poller.close();
                  daemon.close();
                  // Running runs are cancelled (process trees killed) and recorded interrupted.
                  pipeline.close(SHUTDOWN_GRACE.dividedBy(2));
                  controller.close(SHUTDOWN_GRACE);
                  observability.close();
                  jvmMeters.close();
                  cache.close();
                  remotes.close();
                  log.info("Tagflow server stopped");
                  stopped.countDown();
                },
                "tagflow-shutdown"));
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

  /** The flags' certificate files, else the file's {@code tls}; both files or neither. */
  private Optional<TlsFiles> tls(Optional<ServerSettings> file) {
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      throw TagflowException.invalidInput(
          "--tls-cert-file and --tls-key-file go together: give both, or neither for plain HTTP");
    }
    if (tlsCertFile != null) {
      for (Path given : List.of(tlsCertFile, tlsKeyFile)) {
        if (!Files.isRegularFile(given)) {
          throw TagflowException.invalidInput(given + " does not exist: give a PEM file");
        }
      }
      return Optional.of(new TlsFiles(tlsCertFile.toAbsolutePath(), tlsKeyFile.toAbsolutePath()));
    }
    return file.flatMap(s -> s.security().tls())
        .map(t -> new TlsFiles(t.certificateFile(), t.keyFile()));
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

  /**
   * Polls the repositories followed (the settings file's at their own intervals, or those of
   * 'tagflow repo add') and those the applications read, at the default interval.
   */
  private static void followRepositories(
      FollowedRepositories followed,
      ControllerService controller,
      GitPoller poller,
      Duration pollEvery) {
    Map<String, Duration> intervals = new LinkedHashMap<>();
    try {
      if (followed instanceof FollowedRepositories.Configured) {
        intervals.putAll(followed.pollIntervals());
      } else {
        followed.urls().forEach(url -> intervals.put(url, pollEvery));
      }
    } catch (RuntimeException e) {
      // A half-edited repositories.yaml must not stop polling what was known; next time again.
      log.warn("could not read the repository list again: {}", e.getMessage());
      return;
    }
    controller.repositories().forEach(url -> intervals.putIfAbsent(url, pollEvery));
    poller.watchExactly(intervals);
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

  private static AccessTokens tokens(Path data, Optional<Path> given, PrintWriter out) {
    if (given.isPresent()) {
      if (!Files.isRegularFile(given.get())) {
        throw TagflowException.invalidInput(
            "--git-token-file " + given.get() + " does not exist: write one token per line");
      }
      return AccessTokens.fromFile(given.get());
    }
    Path file = data.resolve(TOKEN_FILE);
    if (Files.exists(file)) {
      return AccessTokens.fromFile(file);
    }
    // The token itself is never printed: whoever may push can read the file.
    AccessTokens generated = AccessTokens.generateInto(file);
    out.println("A push token was written to " + file + " (readable by you only).");
    return generated;
  }
}
