package dev.tagflow.server;

import dev.tagflow.TagflowException;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.git.GitServer;
import dev.tagflow.server.metrics.HttpMetrics;
import dev.tagflow.server.system.HealthHandler;
import dev.tagflow.server.system.MetricsHandler;
import dev.tagflow.server.system.ReadyHandler;
import dev.tagflow.server.webhook.GitHubWebhookHandler;
import dev.tagflow.server.webhook.GitLabWebhookHandler;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson3;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LowResourceMonitor;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The daemon's HTTP shell: the API, webhooks, metrics and the Git server on one Jetty. */
public final class TagflowServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TagflowServer.class);

  /** The largest body Javalin reads for a route (the API's); webhooks read theirs themselves. */
  static final long MAX_BODY_BYTES = 1024L * 1024;

  /** How often Jetty's LowResourceMonitor looks at the server's threads and connections. */
  static final Duration LOW_RESOURCE_LOOK = Duration.ofSeconds(10);

  private final ServerConfig config;
  private final Javalin app;
  private final RouteTable api;
  private final boolean tls;
  private final List<String> endpoints = new CopyOnWriteArrayList<>();
  private volatile boolean started;

  public TagflowServer(
      ServerConfig config,
      JsonMapper json,
      PrometheusMeterRegistry metrics,
      GitHubWebhookHandler github,
      GitLabWebhookHandler gitlab,
      GitServer gitServer,
      RouteTable api,
      AccessGate gate,
      HealthHandler health,
      ReadyHandler ready,
      Optional<TlsFiles> tls) {
    this.config = Objects.requireNonNull(config, "config");
    this.tls = tls.isPresent();
    this.api = Objects.requireNonNull(api, "api");
    this.app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.concurrency.useVirtualThreads = true;
              javalin.jetty.host = config.host();
              javalin.jetty.port = config.port();
              // Jetty keeps the header fields of a connection's earlier requests and, by default,
              // hands a later field that matches one case-insensitively the earlier value: a token
              // sent with one letter's case changed arrived as the valid token sent before it on
              // the same connection. Credentials, signatures and ETags are case-sensitive.
              javalin.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
              // Jetty's refusals before any route, JSON under /api/ like the routes' own.
              javalin.jetty.modifyServer(
                  server -> {
                    server.setErrorHandler(new ApiErrorPages());
                    // Javalin adds Jetty's LowResourceMonitor, which looks every second (a third
                    // of an idle server's wake-ups); every 10 s is soon enough to shorten idle
                    // connections' timeouts when the server runs short.
                    server
                        .getBeans(LowResourceMonitor.class)
                        .forEach(
                            monitor ->
                                monitor.setPeriod(Math.toIntExact(LOW_RESOURCE_LOOK.toMillis())));
                  });
              javalin.jetty.modifyServletContextHandler(
                  context -> context.setErrorHandler(new ApiErrorPages.InContext()));
              // With certificate files the one connector speaks TLS (HTTP/1.1), on the same
              // address and port; there is no plain HTTP beside it.
              tls.ifPresent(
                  files -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(files.keyStore());
                    ssl.setKeyStorePassword(new String(TlsFiles.STORE_PASSWORD));
                    javalin.jetty.addConnector(
                        (server, http) -> {
                          HttpConfiguration secure = new HttpConfiguration(http);
                          secure.setHeaderCacheCaseSensitive(true);
                          secure.addCustomizer(new SecureRequestCustomizer(false));
                          ServerConnector connector =
                              new ServerConnector(
                                  server,
                                  new SslConnectionFactory(ssl, "http/1.1"),
                                  new HttpConnectionFactory(secure));
                          connector.setHost(config.host());
                          connector.setPort(config.port());
                          return connector;
                        });
                  });
              // Bodies read through Javalin (the API) stay small; webhooks read theirs themselves,
              // under WebhookBodies' limits, so a 25 MB push payload is still accepted there.
              javalin.http.maxRequestSize = MAX_BODY_BYTES;
              javalin.jsonMapper(new JavalinJackson3(json, true));
              javalin.jetty.modifyServletContextHandler(gitServer::mount);
              // Every endpoint as Javalin registers it, so a test can check that each /api route
              // went through the route table.
              javalin.events.handlerAdded(
                  added -> endpoints.add(added.getHttpMethod() + " " + added.getPath()));

              // Every answer is counted by route template, never by path (ids, tokens).
              javalin.requestLogger.http(new HttpMetrics(metrics));
              // A person who types the server's address lands on the board (or its login).
              javalin.routes.get("/", ctx -> ctx.redirect("/ui", HttpStatus.FOUND));
              javalin.routes.get("/healthz", health);
              javalin.routes.get("/readyz", ready);
              javalin.routes.get("/metrics", new MetricsHandler(metrics));
              javalin.routes.post("/api/webhooks/github", github);
              javalin.routes.post("/api/webhooks/gitlab", gitlab);
              // Every other /api route: declared with its permission, behind the access gate.
              api.mount(javalin.routes, gate);

              javalin.routes.exception(
                  HttpResponseException.class, new HttpRefusals(MAX_BODY_BYTES)::answer);
              javalin.routes.exception(
                  Exception.class,
                  (exception, ctx) -> {
                    String request;
                    try {
                      request = ctx.method() + " " + ctx.path();
                    } catch (RuntimeException gone) {
                      // A stream that ended after the server stopped: its request was recycled
                      // and there is no one left to answer.
                      log.debug("a request ended after its connection: {}", exception.toString());
                      return;
                    }
                    log.error("{} failed", request, exception);
                    ctx.status(500)
                        .json(
                            new ApiError(
                                "internal_error",
                                "the server failed on this request: " + exception.getClass(),
                                "see the server log; report it if it happens again"));
                  });
            });
  }

  /** The API's declared routes. */
  public RouteTable routes() {
    return api;
  }

  /**
   * Every HTTP endpoint registered with Javalin, as {@code METHOD path}, webhooks and routes added
   * outside the table included.
   */
  public List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  /** Binds the port and starts serving; fails with a clear message if the port is taken. */
  public TagflowServer start() {
    try {
      app.start();
    } catch (RuntimeException e) {
      throw TagflowException.failed(
          "cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage()
              + " (is another server running? choose another --port)",
          e);
    }
    started = true;
    log.info("Tagflow server listening on {}", url());
    return this;
  }

  /** Jetty's server under Javalin, for the tests of how it is set up. */
  org.eclipse.jetty.server.Server jetty() {
    return app.jettyServer().server();
  }

  /** The port actually bound; differs from the configured one when that was 0. */
  public int port() {
    if (!started) {
      throw new IllegalStateException("the server is not started");
    }
    return app.port();
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:7070}. */
  public URI url() {
    URI url = config.baseUrl(port());
    if (tls && config.publicUrl().isEmpty()) {
      return URI.create("https" + url.toString().substring("http".length()));
    }
    return url;
  }

  @Override
  public void close() {
    app.stop();
    started = false;
  }
}
