package dev.tagflow.server;

import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.auth.PasswordHasher;
import dev.tagflow.server.auth.Sessions;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.webhook.WebhookSecret;
import dev.tagflow.source.EventSource;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RefTracker;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A real Tagflow server on a free loopback port, with every ref event it reports collected. */
public final class TestServer implements AutoCloseable {

  public static final String SECRET = "It's a Secret to Everybody";
  public static final String TOKEN = "tf_test_token_1234";

  public final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public final OwnGitCredentials ownCredentials;
  public final RemoteAccess remotes;
  public final RefTracker tracker;
  public final List<RefChanged> events = new CopyOnWriteArrayList<>();
  public final TagflowDaemon daemon;
  public final JdbcStore store;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestServer(Path dataDir, List<String> tracked, Consumer<RefChanged> listener) {
    this(dataDir, tracked, listener, Authorizer.builtinOnly(), TEST_ACCESS, Optional.empty());
  }

  /**
   * Test servers hash passwords with Argon2id's smallest cost, to keep many logins cheap on two
   * cores; the hash and its checks are the same code, and {@code PasswordHasherTest} checks the
   * OWASP defaults the server uses.
   */
  public static final AccessControl.Settings TEST_ACCESS =
      new AccessControl.Settings(
          Sessions.Lifetimes.DEFAULTS, List.of(), false, new PasswordHasher.Parameters(64, 1, 1));

  private TestServer(
      Path dataDir,
      List<String> tracked,
      Consumer<RefChanged> listener,
      Authorizer authorizer,
      AccessControl.Settings access,
      Optional<TlsFiles> tls) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir)));
    this.ownCredentials = OwnGitCredentials.create(dataDir, url -> RepoCredentials.none());
    this.remotes = new RemoteAccess(ownCredentials, Duration.ofSeconds(60), meters);
    this.tracker = new RefTracker(remotes, meters, Clock.systemUTC());
    this.daemon =
        new TagflowDaemon(
            ServerConfig.onLoopback(0, dataDir),
            tracker,
            () -> tracked,
            Optional.of(WebhookSecret.of(SECRET)),
            AccessTokens.of(TOKEN),
            ownCredentials,
            meters,
            Optional::empty,
            new AccessControl.Sources(store, authorizer, access, Clock.systemUTC(), tls));
    for (EventSource source : daemon.eventSources()) {
      source.start(
          change -> {
            events.add(change);
            listener.accept(change);
          });
    }
    daemon.start();
  }

  /** Starts a server whose webhooks follow {@code tracked}. */
  public static TestServer start(Path dataDir, String... tracked) {
    return new TestServer(dataDir, List.of(tracked), change -> {});
  }

  /** Starts a server with its own policy and access settings. */
  public static TestServer withAccess(
      Path dataDir, Authorizer authorizer, AccessControl.Settings access) {
    return new TestServer(dataDir, List.of(), change -> {}, authorizer, access, Optional.empty());
  }

  /** Starts a server serving HTTPS with those certificate files. */
  public static TestServer withTls(Path dataDir, TlsFiles tls) {
    return new TestServer(
        dataDir, List.of(), change -> {}, Authorizer.builtinOnly(), TEST_ACCESS, Optional.of(tls));
  }

  /** Starts a server that hands every ref event to {@code listener} as well. */
  public static TestServer start(Path dataDir, Consumer<RefChanged> listener) {
    return new TestServer(dataDir, List.of(), listener);
  }

  public URI url() {
    return daemon.server().url();
  }

  /** GETs {@code path} with the given header name/value pairs. */
  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url().resolve(path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  /** POSTs {@code body} with the given header name/value pairs. */
  public HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * How many triggers (webhook deliveries accepted, pushes that moved a ref) an event source has
   * received. A source counts a trigger before the request that caused it is answered, so reading
   * this right after the answer tells whether anything was triggered, with no waiting.
   */
  public double triggers(String source) {
    var counter = meters.find("tagflow.source.triggers").tag("source", source).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The ref names of the events seen so far. */
  public List<String> eventRefs() {
    return events.stream().map(RefChanged::ref).toList();
  }

  @Override
  public void close() {
    daemon.close();
    remotes.close();
    store.close();
    http.close();
  }
}
