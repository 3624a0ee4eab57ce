package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.reconcile.ReconcilerOptions;
import dev.tagflow.server.ControllerService;
import dev.tagflow.server.ServerConfig;
import dev.tagflow.server.TagflowDaemon;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.server.webhook.WebhookSecret;
import dev.tagflow.source.GitPoller;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RefTracker;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.RepoEntry;
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
import java.util.List;
import java.util.Optional;
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
      "Applications of --apps, webhooks, the built-in Git server at /git/<name>.git, /healthz and",
      "/metrics. Stops on Ctrl-C or SIGTERM, letting running syncs end their current step."
    })
final class ServerCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  /** How often the repository list is read again for the poller. */
  private static final Duration REGISTRY_REREAD = Duration.ofSeconds(30);

  /** How long a stop waits for running reconciles to end their current step. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

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
    Path data = dataDir.resolve();
    Duration pollEvery = DiffCommand.duration(pollInterval);
    DatabaseUrl databaseUrl =
        database == null ? DatabaseUrl.inDataDir(data) : DatabaseUrl.parse(database, "--database");
    Optional<WebhookSecret> secret =
        Optional.ofNullable(webhookSecretFile).map(WebhookSecret::fromFile);
    AccessTokens tokens = tokens(data, out);

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // The same list 'tagflow repo add' writes, read at each delivery so additions need no restart.
    RepoRegistry registry = new RepoRegistry(data.resolve(REPOSITORIES_FILE));
    // The server's own components reach its Git server with a token of their own, made now.
    OwnGitCredentials own = OwnGitCredentials.create(data, registry::credentialsFor);
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
                ReconcilerOptions.defaults()),
            cache,
            meters);
    TagflowDaemon daemon =
        new TagflowDaemon(
            new ServerConfig(host, port, data, Optional.ofNullable(publicUrl)),
            tracker,
            () ->
                Stream.concat(
                        Stream.concat(registry.list().stream().map(RepoEntry::url), extra.stream()),
                        controller.repositories().stream())
                    .distinct()
                    .toList(),
            secret,
            tokens,
            own,
            meters);
    // Polling is the third source of ref events, beside webhooks and the Git server; its first
    // poll of each repository also sets the baseline that later webhooks are compared with.
    GitPoller poller =
        new GitPoller(
            tracker,
            cache,
            new GitPoller.Options(pollEvery, GitPoller.Options.DEFAULTS.jitter()),
            RandomGenerator.getDefault());
    // 'tagflow repo add' or a new Application while the server runs: the poller follows both.
    controller.onApplicationsChanged(() -> followRegistry(registry, controller, poller));
    ScheduledExecutorService registryWatch =
        Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    registryWatch.scheduleWithFixedDelay(
        () -> followRegistry(registry, controller, poller),
        REGISTRY_REREAD.toSeconds(),
        REGISTRY_REREAD.toSeconds(),
        TimeUnit.SECONDS);
    controller.start();
    followRegistry(registry, controller, poller);
    daemon.start();
    // Every ref change (webhook, push to the Git server, poll) reaches the controller once the
    // mirror has the commit; the release pipeline subscribes here when it lands.
    Consumer<RefChanged> listener = controller.listener();
    daemon.eventSources().forEach(source -> source.start(listener));
    poller.start(listener);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Stop the sources first, so no new work arrives while the controller ends.
                  registryWatch.shutdownNow();
                  poller.close();
                  daemon.close();
                  controller.close(SHUTDOWN_GRACE);
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
            + (apps == null
                ? "no --apps directory, so no applications yet"
                : controller.reconciler().registry().list().size()
                    + " applications from "
                    + apps.toAbsolutePath())
            + "; store "
            + databaseUrl.redacted());
    if (secret.isEmpty()) {
      out.println("  Webhooks: refused until --webhook-secret-file is given");
    } else {
      out.println("  Webhooks: " + url + "/api/webhooks/github, " + url + "/api/webhooks/gitlab");
    }
    out.flush();
    stopped.await();
    return ExitCode.OK;
  }

  /** Polls the repositories of 'tagflow repo add' and those the applications read. */
  private static void followRegistry(
      RepoRegistry registry, ControllerService controller, GitPoller poller) {
    List<String> added;
    try {
      added = registry.list().stream().map(RepoEntry::url).toList();
    } catch (RuntimeException e) {
      // A half-edited repositories.yaml must not stop polling what was known; next time again.
      log.warn("could not read the repository list again: {}", e.getMessage());
      return;
    }
    poller.watchExactly(Stream.concat(added.stream(), controller.repositories().stream()).toList());
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

  private AccessTokens tokens(Path data, PrintWriter out) {
    if (gitTokenFile != null) {
      if (!Files.isRegularFile(gitTokenFile)) {
        throw TagflowException.invalidInput(
            "--git-token-file " + gitTokenFile + " does not exist: write one token per line");
      }
      return AccessTokens.fromFile(gitTokenFile);
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
