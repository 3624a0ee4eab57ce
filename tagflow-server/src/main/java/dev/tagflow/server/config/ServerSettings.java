package dev.tagflow.server.config;

import dev.tagflow.health.HealthRule;
import dev.tagflow.pipeline.run.BuiltInSettings;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.store.DatabaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code tagflow server --config tagflow.yaml} runs with, as the file says it; an absent
 * setting is its default, or empty where the default depends on what the command line says (the
 * data directory, and the database in it). Paths are absolute. See {@code docs/server-config.md}
 * for the file and every key.
 *
 * @param listen where the HTTP server binds
 * @param dataDir the data directory; empty for {@code $TAGFLOW_HOME}, else {@code ~/.tagflow}
 * @param database where the store lives; empty for SQLite in the data directory
 * @param publicUrl the URL clients use when it is not the address listened on (a proxy)
 * @param webhookSecretFile the file holding GitHub's and GitLab's webhook secret; without one every
 *     webhook is refused
 * @param gitTokenFile the file of tokens that may use the built-in Git server; empty for {@code
 *     <dataDir>/git-tokens}
 * @param clusters where applications may go; {@code local} (the current kubeconfig context) when
 *     the file names none
 * @param repositories the repositories the server follows: polled, and named by webhooks
 * @param applications where the Application files are
 * @param reconcile how the controller paces its work
 * @param projects what a project's applications may target, and how their health is judged
 * @param pipeline what the release workflows' built-in actions use on the host
 * @param actionsSource where workflows' remote actions are fetched from ({@code
 *     <url>/<owner>/<repo>.git}, or a URL with {@code {owner}} and {@code {repo}}); empty for
 *     GitHub
 * @param security the API's custom RBAC lines, trusted proxies and TLS files
 */
public record ServerSettings(
    ListenAddress listen,
    Optional<Path> dataDir,
    Optional<DatabaseUrl> database,
    Optional<URI> publicUrl,
    Optional<Path> webhookSecretFile,
    Optional<Path> gitTokenFile,
    List<Cluster> clusters,
    List<Repository> repositories,
    List<ApplicationFiles> applications,
    Reconcile reconcile,
    List<Project> projects,
    Pipeline pipeline,
    Optional<String> actionsSource,
    Security security) {

  /** The project an Application belongs to when it names none, as in Argo CD. */
  public static final String DEFAULT_PROJECT = "default";

  public ServerSettings {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(publicUrl, "publicUrl");
    Objects.requireNonNull(webhookSecretFile, "webhookSecretFile");
    Objects.requireNonNull(gitTokenFile, "gitTokenFile");
    clusters = List.copyOf(clusters);
    repositories = List.copyOf(repositories);
    applications = List.copyOf(applications);
    Objects.requireNonNull(reconcile, "reconcile");
    projects = List.copyOf(projects);
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(actionsSource, "actionsSource");
    Objects.requireNonNull(security, "security");
  }

  /** Settings with the defaults for the pipeline, the actions source (GitHub) and security. */
  public ServerSettings(
      ListenAddress listen,
      Optional<Path> dataDir,
      Optional<DatabaseUrl> database,
      Optional<URI> publicUrl,
      Optional<Path> webhookSecretFile,
      Optional<Path> gitTokenFile,
      List<Cluster> clusters,
      List<Repository> repositories,
      List<ApplicationFiles> applications,
      Reconcile reconcile,
      List<Project> projects) {
    this(
        listen,
        dataDir,
        database,
        publicUrl,
        webhookSecretFile,
        gitTokenFile,
        clusters,
        repositories,
        applications,
        reconcile,
        projects,
        Pipeline.DEFAULTS,
        Optional.empty(),
        Security.DEFAULTS);
  }

  /**
   * The API's access settings of the file.
   *
   * @param policy the {@code rbac.policy} lines added to the built-in roles (already checked)
   * @param trustedProxies {@code trustedProxies}: peers whose X-Forwarded-For is believed
   * @param tls {@code tls}: the PEM certificate chain and private key to serve HTTPS with
   */
  public record Security(Optional<String> policy, List<String> trustedProxies, Optional<Tls> tls) {
    public static final Security DEFAULTS =
        new Security(Optional.empty(), List.of(), Optional.empty());

    public Security {
      Objects.requireNonNull(policy, "policy");
      trustedProxies = List.copyOf(trustedProxies);
      Objects.requireNonNull(tls, "tls");
    }
  }

  /** PEM files of a TLS certificate chain and its private key (PKCS#8, PKCS#1 or SEC1). */
  public record Tls(Path certificateFile, Path keyFile) {}

  /** What an empty file means. */
  public static ServerSettings defaults() {
    return new ServerSettings(
        ListenAddress.DEFAULT,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(Cluster.local()),
        List.of(),
        List.of(),
        Reconcile.DEFAULTS,
        List.of(),
        Pipeline.DEFAULTS,
        Optional.empty(),
        Security.DEFAULTS);
  }

  /** The database to open, given the data directory the server runs with. */
  public DatabaseUrl databaseIn(Path dataDir) {
    return database.orElseGet(() -> DatabaseUrl.inDataDir(dataDir));
  }

  public Optional<Repository> repository(String name) {
    return repositories.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public Optional<Cluster> cluster(String name) {
    return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * A project by name. {@value #DEFAULT_PROJECT}, unless the file defines it, may target every
   * cluster and namespace and has no health rules of its own, as Argo CD's default project.
   */
  public Optional<Project> project(String name) {
    Optional<Project> defined = projects.stream().filter(p -> p.name().equals(name)).findFirst();
    if (defined.isEmpty() && name.equals(DEFAULT_PROJECT)) {
      return Optional.of(
          new Project(DEFAULT_PROJECT, List.of(new Destination("*", "*")), List.of()));
    }
    return defined;
  }

  /**
   * The keys whose values differ from {@code running}'s among those a running server cannot change
   * (it binds its port, opens its data directory and database, reads its secrets, and sizes the
   * controller's work queue and resync, once).
   */
  public List<String> restartNeededFrom(ServerSettings running) {
    List<String> keys = new ArrayList<>();
    if (!listen.equals(running.listen)) {
      keys.add("listen");
    }
    if (!dataDir.equals(running.dataDir)) {
      keys.add("dataDir");
    }
    if (!database.equals(running.database)) {
      keys.add("database");
    }
    if (!publicUrl.equals(running.publicUrl)) {
      keys.add("publicUrl");
    }
    if (!webhookSecretFile.equals(running.webhookSecretFile)) {
      keys.add("webhookSecretFile");
    }
    if (!gitTokenFile.equals(running.gitTokenFile)) {
      keys.add("gitTokenFile");
    }
    if (!reconcile.equals(running.reconcile)) {
      // The work queue's concurrency and the resync pacing are fixed when the controller starts.
      keys.add("reconcile");
    }
    if (!pipeline.equals(running.pipeline)) {
      // The runner, its JDK folders and its cache limit are made once.
      keys.add("pipeline");
    }
    if (!actionsSource.equals(running.actionsSource)) {
      keys.add("actionsSource");
    }
    if (!security.trustedProxies().equals(running.security.trustedProxies())) {
      keys.add("trustedProxies");
    }
    if (!security.tls().equals(running.security.tls())) {
      keys.add("tls");
    }
    return keys;
  }

  /**
   * These settings as a running server can take them: what only a restart changes (see {@link
   * #restartNeededFrom}) stays as {@code running} has it, so the settings in use always say what
   * the server really does.
   */
  public ServerSettings applicableTo(ServerSettings running) {
    return new ServerSettings(
        running.listen,
        running.dataDir,
        running.database,
        running.publicUrl,
        running.webhookSecretFile,
        running.gitTokenFile,
        clusters,
        repositories,
        applications,
        running.reconcile,
        projects,
        running.pipeline,
        running.actionsSource,
        // The policy is followed; proxies and TLS are fixed when the server starts.
        new Security(security.policy(), running.security.trustedProxies(), running.security.tls()));
  }

  /**
   * What the built-in actions of release workflows use on the host.
   *
   * @param jdkFolders folders {@code actions/setup-java} looks in besides the usual places: each a
   *     JDK, or a folder of JDKs
   * @param cacheLimitMb the most {@code actions/cache} keeps per repository (GitHub's 10 GB by
   *     default); the least recently used entries go first
   */
  public record Pipeline(List<Path> jdkFolders, long cacheLimitMb) {

    public static final Pipeline DEFAULTS =
        new Pipeline(List.of(), BuiltInSettings.defaults().cacheLimitBytes() / (1024 * 1024));

    public Pipeline {
      jdkFolders = List.copyOf(jdkFolders);
    }

    /** These settings as the runner takes them. */
    public BuiltInSettings builtIns() {
      return new BuiltInSettings(jdkFolders, cacheLimitMb * 1024 * 1024);
    }
  }

  /**
   * A cluster applications may be synced to.
   *
   * @param name what an Application's {@code destination.cluster} names
   * @param kubeconfig the kubeconfig file; empty for {@code $KUBECONFIG}, else {@code
   *     ~/.kube/config}
   * @param context the kubeconfig's context; empty for its current context
   */
  public record Cluster(String name, Optional<Path> kubeconfig, Optional<String> context) {

    /** The cluster that is there when the file names none. */
    public static final String LOCAL = "local";

    public Cluster {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kubeconfig, "kubeconfig");
      Objects.requireNonNull(context, "context");
    }

    /** {@code local}: the current context of the default kubeconfig. */
    public static Cluster local() {
      return new Cluster(LOCAL, Optional.empty(), Optional.empty());
    }
  }

  /**
   * A repository the server follows.
   *
   * @param entry its name, URL (never with credentials) and the files of its credentials
   * @param pollInterval how often it is polled for moved refs; webhooks tell sooner
   */
  public record Repository(RepoEntry entry, Duration pollInterval) {

    /** How often a repository is polled unless its entry says: Argo CD's default too. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(3);

    public Repository {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(pollInterval, "pollInterval");
    }

    public String name() {
      return entry.name();
    }

    public String url() {
      return entry.url();
    }
  }

  /**
   * A folder of Application files in Git (app of apps): each file there is an application.
   *
   * @param repository the name of one of {@link #repositories}
   * @param revision a branch, tag, commit or semver range; {@code HEAD} when not given
   * @param path the folder, relative to the repository's root
   */
  public record ApplicationFiles(String repository, String revision, String path) {
    public ApplicationFiles {
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * How the controller paces its work.
   *
   * @param interval how often every application is compared with Git and the cluster even when
   *     nothing announced a change, so a missed event costs at most this long
   * @param concurrency how many applications are reconciled at once, so a commit touching hundreds
   *     of them does not flood the API server
   * @param selfHealGrace how long after a drift self-heal waits, so a burst of hand edits is healed
   *     once and a person mid-change is not fought on every keystroke
   */
  public record Reconcile(Duration interval, int concurrency, Duration selfHealGrace) {

    public static final Reconcile DEFAULTS =
        new Reconcile(Duration.ofMinutes(3), 8, Duration.ofSeconds(5));

    public Reconcile {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(selfHealGrace, "selfHealGrace");
      if (interval.isNegative() || interval.isZero() || concurrency < 1) {
        throw new IllegalArgumentException("interval and concurrency must be positive");
      }
      if (selfHealGrace.isNegative()) {
        throw new IllegalArgumentException("selfHealGrace must not be negative");
      }
    }
  }

  /**
   * A project: which clusters and namespaces its applications may target, and its own health rules
   * for kinds Tagflow does not know.
   *
   * @param destinations an application may target a namespace of a cluster when any entry matches
   * @param notifications the webhooks told about its applications' events
   * @param syncWindows when its applications may sync, each with the applications it applies to
   */
  public record Project(
      String name,
      List<Destination> destinations,
      List<HealthRule> healthRules,
      List<NotificationWebhook> notifications,
      List<SyncWindow.Scoped> syncWindows) {
    public Project {
      Objects.requireNonNull(name, "name");
      destinations = List.copyOf(destinations);
      healthRules = List.copyOf(healthRules);
      notifications = List.copyOf(notifications);
      syncWindows = List.copyOf(syncWindows);
    }

    /** A project without sync windows: its applications sync whenever they should. */
    public Project(
        String name,
        List<Destination> destinations,
        List<HealthRule> healthRules,
        List<NotificationWebhook> notifications) {
      this(name, destinations, healthRules, notifications, List.of());
    }

    /** A project that notifies nobody. */
    public Project(String name, List<Destination> destinations, List<HealthRule> healthRules) {
      this(name, destinations, healthRules, List.of());
    }

    /** Whether the project's applications may put objects in this namespace of this cluster. */
    public boolean permits(String cluster, String namespace) {
      return destinations.stream().anyMatch(d -> d.matches(cluster, namespace));
    }
  }

  /**
   * Clusters and namespaces a project may target.
   *
   * @param cluster a cluster's name, or {@code *} for every cluster
   * @param namespace a namespace, or a glob of them: {@code *} any, {@code ?} one character ({@code
   *     shop-*})
   */
  public record Destination(String cluster, String namespace) {
    public Destination {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(namespace, "namespace");
    }

    public boolean matches(String cluster, String namespace) {
      return (this.cluster.equals("*") || this.cluster.equals(cluster))
          && glob(this.namespace).matcher(namespace).matches();
    }

    private static Pattern glob(String glob) {
      StringBuilder regex = new StringBuilder();
      for (char c : glob.toCharArray()) {
        switch (c) {
          case '*' -> regex.append(".*");
          case '?' -> regex.append('.');
          default -> regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(regex.toString());
    }
  }
}
