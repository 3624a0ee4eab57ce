package dev.tagflow.server;

import dev.tagflow.PlainJson;
import dev.tagflow.app.Application;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.reconcile.Reconciler;
import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.ApplicationRoutes;
import dev.tagflow.server.api.AuditRoutes;
import dev.tagflow.server.api.ClusterRoutes;
import dev.tagflow.server.api.ObjectOf;
import dev.tagflow.server.api.OpenApiDocument;
import dev.tagflow.server.api.PromotionRoutes;
import dev.tagflow.server.api.ReleaseRoutes;
import dev.tagflow.server.api.RepositoryRoutes;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.api.RunRoutes;
import dev.tagflow.server.api.SecretRoutes;
import dev.tagflow.server.api.SessionRoutes;
import dev.tagflow.server.api.TokenRoutes;
import dev.tagflow.server.api.UserRoutes;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.config.SettingsStatus;
import dev.tagflow.server.events.TriggeredRefSource;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.git.GitServer;
import dev.tagflow.server.git.HostedRepoHandlers;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.server.pipeline.RunControl;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.repository.AddedRepositories;
import dev.tagflow.server.system.HealthHandler;
import dev.tagflow.server.system.Probe;
import dev.tagflow.server.system.ReadyHandler;
import dev.tagflow.server.ui.BoardSource;
import dev.tagflow.server.ui.DeliverySource;
import dev.tagflow.server.ui.UiRoutes;
import dev.tagflow.server.webhook.GitHubWebhookHandler;
import dev.tagflow.server.webhook.GitLabWebhookHandler;
import dev.tagflow.server.webhook.RecentDeliveries;
import dev.tagflow.server.webhook.RepositoryUrls;
import dev.tagflow.server.webhook.TrackedRepositories;
import dev.tagflow.server.webhook.WebhookBodies;
import dev.tagflow.server.webhook.WebhookReceiver;
import dev.tagflow.server.webhook.WebhookSecret;
import dev.tagflow.source.EventSource;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RefTracker;
import dev.tagflow.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server wired with its event sources: the one place where the parts are built and handed to
 * each other, for the {@code tagflow server} verb, tests and benchmarks alike.
 */
public final class TagflowDaemon implements AutoCloseable {

  /** How many delivery ids are remembered to ignore replays; GitHub retries within hours. */
  private static final int REMEMBERED_DELIVERIES = 10_000;

  /** How long {@code /readyz} waits for each check: a probe's period is usually 10 s. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

  private final TriggeredRefSource githubSource;
  private final TriggeredRefSource gitlabSource;
  private final TriggeredRefSource gitServerSource;
  private final TagflowServer server;
  private final OwnGitCredentials ownCredentials;
  private final AccessControl access;
  private final UiRoutes ui;
  private final RunRoutes runs;
  private final AddedRepositories added;
  private final AtomicReference<PipelineService> pipeline = new AtomicReference<>();
  private final AtomicReference<EnvRepoWriter> promoter = new AtomicReference<>();

  /** How often a live board's stream gets a heartbeat comment, so proxies keep it open. */
  private static final Duration UI_HEARTBEAT = Duration.ofSeconds(15);

  /**
   * @param tracker compares all refs of a repository with the last seen; every trigger refreshes it
   * @param tracked the repositories webhooks may name
   * @param webhookSecret the webhook secret; without one every webhook delivery is refused
   * @param gitTokens the tokens that may read, push to and create hosted repositories
   * @param ownCredentials the credentials the server's own components use, given to {@code
   *     tracker}'s remote access too: its token is accepted by the Git server as well
   * @param settings the state of the settings file, shown by {@code /healthz}; empty when the
   *     server runs from flags alone
   * @param access the store, policy and settings of the API's authentication and authorization; the
   *     Git server's tokens ({@code gitTokens}) are accepted by the API as subject {@code
   *     git-token}
   */
  // A server without a controller (tests, benchmarks of webhooks): /readyz checks nothing.
  public TagflowDaemon(
      ServerConfig config,
      RefTracker tracker,
      TrackedRepositories tracked,
      Optional<WebhookSecret> webhookSecret,
      AccessTokens gitTokens,
      OwnGitCredentials ownCredentials,
      PrometheusMeterRegistry meters,
      Supplier<Optional<SettingsStatus>> settings,
      AccessControl.Sources access) {
    this(
        config,
        tracker,
        tracked,
        webhookSecret,
        gitTokens,
        ownCredentials,
        meters,
        settings,
        List::of,
        access,
        Optional.empty(),
        BoardSource.NONE,
        DeliverySource.readOnly(access.store()));
  }

  /**
   * The server with what {@code /readyz} checks.
   *
   * @param readiness the store and the clusters: ready when each answers
   */
  public TagflowDaemon(
      ServerConfig config,
      RefTracker tracker,
      TrackedRepositories tracked,
      Optional<WebhookSecret> webhookSecret,
      AccessTokens gitTokens,
      OwnGitCredentials ownCredentials,
      PrometheusMeterRegistry meters,
      Supplier<Optional<SettingsStatus>> settings,
      Supplier<List<Probe>> readiness,
      AccessControl.Sources access) {
    this(
        config,
        tracker,
        tracked,
        webhookSecret,
        gitTokens,
        ownCredentials,
        meters,
        settings,
        readiness,
        access,
        Optional.empty(),
        BoardSource.NONE,
        DeliverySource.readOnly(access.store()));
  }

  /**
   * The server with its controller and its pipeline's parts, for the web UI's delivery pages.
   *
   * @param controller the reconciler of {@code /api/v1/applications}; without one the API lists no
   *     application
   * @param board the controller's applications, statuses and promotions, for the web UI's board
   * @param delivery runs, releases, promotion requests (decided by the pipeline's writer), the
   *     audit log and the notifications sent, for the web UI's pages beside the board
   */
  public TagflowDaemon(
      ServerConfig config,
      RefTracker tracker,
      TrackedRepositories tracked,
      Optional<WebhookSecret> webhookSecret,
      AccessTokens gitTokens,
      OwnGitCredentials ownCredentials,
      PrometheusMeterRegistry meters,
      Supplier<Optional<SettingsStatus>> settings,
      Supplier<List<Probe>> readiness,
      AccessControl.Sources access,
      Optional<Reconciler> controller,
      BoardSource board,
      DeliverySource delivery) {
    this.ownCredentials = ownCredentials;
    AccessTokens accepted = ownCredentials.grantedWith(gitTokens);
    this.access = new AccessControl(access, accepted);
    // Jackson 2 wrote java.time values (the audit log's instants) through the JavaTimeModule that
    // jib-core happened to bring; Jackson 3 writes them itself, the same way (seconds.nanos).
    JsonMapper json = PlainJson.MAPPER;
    RepositoryUrls urls = new RepositoryUrls(tracked);
    this.githubSource =
        new TriggeredRefSource("github-webhook", RefChanged.Origin.GITHUB_WEBHOOK, tracker, meters);
    this.gitlabSource =
        new TriggeredRefSource("gitlab-webhook", RefChanged.Origin.GITLAB_WEBHOOK, tracker, meters);
    this.gitServerSource =
        new TriggeredRefSource("git-server", RefChanged.Origin.GIT_SERVER, tracker, meters);

    // One memory of deliveries per provider: their ids never collide, and a flood on one
    // cannot push the other's ids out.
    // One limit on bodies being read for all providers: a flood on one URL cannot dodge it.
    WebhookBodies bodies = WebhookBodies.defaults();
    Gauge.builder("tagflow.webhook.buffered", bodies, WebhookBodies::bufferedBytes)
        .description("Bytes of webhook bodies being read right now")
        .baseUnit("bytes")
        .register(meters);
    Gauge.builder("tagflow.webhook.reading", bodies, WebhookBodies::reading)
        .description("Webhook bodies being read right now; at most " + bodies.maxConcurrent())
        .register(meters);
    WebhookReceiver github =
        new WebhookReceiver(
            "github",
            webhookSecret,
            bodies,
            new RecentDeliveries(REMEMBERED_DELIVERIES),
            urls,
            githubSource,
            json,
            meters);
    WebhookReceiver gitlab =
        new WebhookReceiver(
            "gitlab",
            webhookSecret,
            bodies,
            new RecentDeliveries(REMEMBERED_DELIVERIES),
            urls,
            gitlabSource,
            json,
            meters);
    HostedRepositories hosted = new HostedRepositories(config.gitRoot());
    GitServer gitServer = new GitServer(hosted, accepted, gitServerSource, tracker, config);
    HostedRepoHandlers repos = new HostedRepoHandlers(hosted, gitServer, tracker, json);
    // Every /api route but the webhooks, each with what it needs.
    RouteTable api =
        new RouteTable()
            .get("/api/repos", Access.needs("repositories/get", ObjectOf.fixed("*")), repos.list())
            .post(
                "/api/repos",
                Access.needs("repositories/create", ObjectOf.bodyField("name", json)),
                repos.create());
    OpenApiDocument openApi = new OpenApiDocument(api);
    SessionRoutes session = new SessionRoutes(this.access, json);
    session.addTo(api);
    session.describeIn(openApi);
    new AuditRoutes(this.access.audit()).addTo(api);
    new ApplicationRoutes(controller, this.access.authorizer()).addTo(api, openApi);
    RunControl runControl =
        new RunControl(() -> Optional.ofNullable(pipeline.get()), config.dataDir(), json);
    this.ui =
        new UiRoutes(
            this.access, board, delivery, controller, runControl, access.clock(), UI_HEARTBEAT);
    ui.addTo(api);
    Store store = access.store();
    Authorizer authorizer = this.access.authorizer();
    this.runs =
        new RunRoutes(
            store.runs(),
            store.builtImages(),
            authorizer,
            () -> Optional.ofNullable(pipeline.get()),
            runControl,
            json,
            UI_HEARTBEAT);
    runs.addTo(api, openApi);
    new ReleaseRoutes(store.builtImages(), store.releases(), authorizer).addTo(api, openApi);
    Supplier<List<Application>> applications =
        () ->
            controller
                .map(c -> c.registry().list().stream().map(r -> r.application()).toList())
                .orElse(List.<Application>of());
    new PromotionRoutes(
            store.promotions(), authorizer, () -> Optional.ofNullable(promoter.get()), applications)
        .addTo(api, openApi);
    this.added =
        new AddedRepositories(
            store.repositories(), store.secrets(), config.dataDir(), access.clock());
    new RepositoryRoutes(tracked, hosted, added, applications, this::url, authorizer)
        .addTo(api, openApi, json);
    new ClusterRoutes(readiness, READY_TIMEOUT, authorizer).addTo(api, openApi);
    new SecretRoutes(store.secrets(), config.dataDir(), authorizer).addTo(api, openApi);
    new TokenRoutes(this.access.tokens(), access.clock()).addTo(api, openApi, json);
    new UserRoutes(this.access.users()).addTo(api, openApi, json);
    // Last: the document lists every API route of the table, itself included.
    openApi.addTo(api);
    this.server =
        new TagflowServer(
            config,
            json,
            meters,
            new GitHubWebhookHandler(github),
            new GitLabWebhookHandler(gitlab),
            gitServer,
            api,
            new AccessGate(this.access, ui.refusal()),
            new HealthHandler(settings),
            new ReadyHandler(readiness, READY_TIMEOUT),
            access.tls());
  }

  /** The sources of ref events this server feeds: start each with the reconciler's listener. */
  public List<EventSource> eventSources() {
    return List.of(githubSource, gitlabSource, gitServerSource);
  }

  /**
   * Hands the API the release pipeline and the environment-repository writer, made once the server
   * listens (their steps reach its Git server): until then the runs' verbs and the approvals answer
   * 503.
   */
  public void serve(PipelineService pipeline, EnvRepoWriter promotions) {
    this.pipeline.set(pipeline);
    this.promoter.set(promotions);
  }

  /** The repositories added over the API: register to hear of each add and removal. */
  public AddedRepositories addedRepositories() {
    return added;
  }

  /** Tokens, users, sessions, policy and audit log of this server. */
  public AccessControl access() {
    return access;
  }

  private java.net.URI url() {
    return server.url();
  }

  public TagflowServer server() {
    return server;
  }

  public TagflowDaemon start() {
    server.start();
    ownCredentials.servingAt(server.url());
    return this;
  }

  @Override
  public void close() {
    // The live boards' streams first: an open stream would hold the HTTP server's stop.
    ui.close();
    runs.close();
    server.close();
    githubSource.close();
    gitlabSource.close();
    gitServerSource.close();
  }
}
