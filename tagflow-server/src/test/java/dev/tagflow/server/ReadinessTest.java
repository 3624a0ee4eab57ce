package dev.tagflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.reconcile.ReconcilerOptions;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.source.RefTracker;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.store.DatabaseUrl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code /readyz} of a real server whose cluster does not answer (its kubeconfig points at a closed
 * loopback port), and whose store is closed: 503, naming which check failed and why, never the
 * credentials. The ready case is covered with a real cluster by {@code ObservabilityIT}.
 */
class ReadinessTest {

  private static final String TOKEN = "kube-token-that-must-not-show";

  @TempDir Path temp;

  @Test
  void aClusterThatDoesNotAnswerAndAClosedStoreMakeTheServerNotReady() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path kubeconfig =
        Files.writeString(
            temp.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters: [{name: gone, cluster: {server: "https://127.0.0.1:%d"}}]
            users: [{name: u, user: {token: %s}}]
            contexts: [{name: gone, context: {cluster: gone, user: u}}]
            current-context: gone
            """
                .formatted(closed, TOKEN));
    Path data = Files.createDirectories(temp.resolve("data"));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OwnGitCredentials own = OwnGitCredentials.create(data, url -> RepoCredentials.none());
    RemoteAccess remotes = new RemoteAccess(own, Duration.ofSeconds(10), meters);
    RepoCache repos = new RepoCache(temp.resolve("repos"), remotes, meters, Clock.systemUTC());
    ControllerService controller =
        new ControllerService(
            new ControllerService.Settings(
                data,
                DatabaseUrl.inDataDir(data),
                kubeconfig,
                Optional.empty(),
                Optional.empty(),
                ReconcilerOptions.defaults()),
            repos,
            meters);
    TagflowDaemon daemon =
        new TagflowDaemon(
            ServerConfig.onLoopback(0, data),
            new RefTracker(remotes, meters, Clock.systemUTC()),
            List::of,
            Optional.empty(),
            AccessTokens.of("tf_test_token"),
            own,
            meters,
            Optional::empty,
            controller::readiness,
            new AccessControl.Sources(
                controller.store(),
                Authorizer.builtinOnly(),
                TestServer.TEST_ACCESS,
                Clock.systemUTC()));
    try (HttpClient http = HttpClient.newHttpClient()) {
      daemon.start();
      URI readyz = daemon.server().url().resolve("/readyz");

      HttpResponse<String> notReady = get(http, readyz);

      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).doesNotContain(TOKEN);
      JsonNode body = PlainJson.MAPPER.readTree(notReady.body());
      assertThat(body.get("status").asText()).isEqualTo("not ready");
      assertThat(body.get("checks").get(0).get("name").asText()).isEqualTo("store");
      assertThat(body.get("checks").get(0).get("ready").asBoolean()).isTrue();
      JsonNode cluster = body.get("checks").get(1);
      assertThat(cluster.get("name").asText()).isEqualTo("cluster/local");
      assertThat(cluster.get("ready").asBoolean()).isFalse();
      assertThat(cluster.get("detail").asText())
          .contains("could not read the version of cluster gone");
      // Alive all the same: liveness must not restart a server waiting for its cluster.
      assertThat(get(http, daemon.server().url().resolve("/healthz")).statusCode()).isEqualTo(200);

      controller.close(Duration.ofSeconds(5));
      JsonNode closedStore = PlainJson.MAPPER.readTree(get(http, readyz).body());
      assertThat(closedStore.get("checks").get(0).get("ready").asBoolean()).isFalse();
      assertThat(closedStore.get("checks").get(0).get("detail").asText()).isNotBlank();
    } finally {
      daemon.close();
      controller.close(Duration.ofSeconds(5));
      repos.close();
      remotes.close();
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
