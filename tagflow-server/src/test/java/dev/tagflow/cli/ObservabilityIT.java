package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.notify.Receiver;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code tagflow server} as a real process running a real controller on the testkit's cluster, seen
 * the way operators see it: {@code /metrics} scraped over HTTP as the application syncs, drifts and
 * heals, {@code /healthz} and {@code /readyz}, and the project's webhook receiving a signed
 * notification that a receiver verifies.
 */
@ExtendWith(LocalClusterExtension.class)
class ObservabilityIT {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final String KEY = "shop-webhook-key-" + UUID.randomUUID();

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private final String name = "observed-" + UUID.randomUUID().toString().substring(0, 8);
  private final HttpClient http = HttpClient.newHttpClient();
  private Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroy();
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    http.close();
  }

  @Test
  void metricsAndASignedNotificationFollowARealSyncDriftAndHeal(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write(
        "m/settings.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {value: "one"}
        """);
    repo.write(
        "apps/web.yaml",
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          project: shop
          source: {repoURL: "%s", targetRevision: main, path: m}
          destination: {cluster: local, namespace: %s}
          syncPolicy: {automated: {prune: true, selfHeal: true}}
        """
            .formatted(name, repo.url(), ns.name()));
    repo.commit("web");
    String commit = repo.head();
    Path key = Files.writeString(temp.resolve("shop-webhook.key"), KEY + "\n");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Receiver team = Receiver.start();
        Receiver failuresOnly = Receiver.start()) {
      Path config =
          Files.writeString(
              temp.resolve("tagflow.yaml"),
              """
              clusters:
                - {name: local, kubeconfig: "%s"}
              repositories:
                - {name: env, url: "%s", pollInterval: 1s}
              applications:
                - {repository: env, revision: main, path: apps}
              projects:
                - name: shop
                  destinations: [{cluster: local, namespace: '%s'}]
                  notifications:
                    - name: team
                      url: %s
                      on: [sync-succeeded, sync-failed, health-degraded, rollback]
                      secret: {file: "%s"}
                    - name: failures
                      url: %s
                      on: [run-failed]
                      secret: {file: "%s"}
                    - name: gone
                      url: http://127.0.0.1:%d/hooks
                      on: [sync-succeeded]
                      secret: {file: "%s"}
              """
                  .formatted(
                      cluster.kubeconfig(),
                      repo.url(),
                      ns.name(),
                      team.url(),
                      key,
                      failuresOnly.url(),
                      key,
                      closedPort,
                      key));
      URI url = start(config);

      // The sync, as the webhook hears it: signed, verified as a receiver would.
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> !team.requests.isEmpty() || !server.isAlive());
      assertThat(server.isAlive()).as(log()).isTrue();
      Receiver.Received notification = team.requests.get(0);
      assertThat(Receiver.verifies(notification, KEY, Instant.now())).isTrue();
      JsonNode body = PlainJson.MAPPER.readTree(notification.body());
      assertThat(body.get("event").asText()).isEqualTo("sync-succeeded");
      assertThat(body.get("application").asText()).isEqualTo(name);
      assertThat(body.get("project").asText()).isEqualTo("shop");
      assertThat(body.get("revision").asText()).contains(commit.substring(0, 7));
      assertThat(body.get("link").asText()).isEqualTo(url + "/applications/" + name);

      // The application's state, as Prometheus scrapes it.
      Map<String, String> app =
          Map.of("application", name, "project", "shop", "destination", "local/" + ns.name());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          value(
                              scrape(url),
                              "tagflow_app_info",
                              with(app, "sync_status", "Synced", "health_status", "Healthy")))
                      .isEqualTo(1.0));
      String first = scrape(url);
      assertThat(value(first, "tagflow_app_sync_total", with(app, "result", "succeeded")))
          .isEqualTo(1.0);
      assertThat(value(first, "tagflow_app_self_heal_total", app)).isNaN();
      assertThat(value(first, "tagflow_notifications_total", Map.of("result", "delivered")))
          .isGreaterThanOrEqualTo(1.0);
      assertThat(first)
          .contains("tagflow_reconcile_seconds_bucket{")
          .contains("tagflow_reconcile_queue ")
          .contains("tagflow_source_fetch_seconds_bucket{")
          .contains("jvm_memory_used_bytes{")
          .contains("jvm_gc_")
          .contains("jvm_threads_live_threads ")
          .contains("jvm_classes_loaded_classes ")
          .contains("process_cpu_usage ")
          .contains("process_uptime_seconds ");
      assertThat(
              value(
                  first,
                  "tagflow_http_server_requests_seconds_count",
                  Map.of("route", "/metrics", "method", "GET", "status", "200")))
          .isGreaterThanOrEqualTo(1.0);

      // A hand edit is drift; selfHeal puts Git's value back: both counted, one more sync.
      client
          .configMaps()
          .inNamespace(ns.name())
          .withName("settings")
          .edit(
              c ->
                  new io.fabric8.kubernetes.api.model.ConfigMapBuilder(c)
                      .addToData("value", "by hand")
                      .build());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                String now = scrape(url);
                assertThat(value(now, "tagflow_app_drift_detected_total", app)).isEqualTo(1.0);
                assertThat(value(now, "tagflow_app_self_heal_total", app)).isEqualTo(1.0);
                assertThat(value(now, "tagflow_app_sync_total", with(app, "result", "succeeded")))
                    .isEqualTo(2.0);
              });
      assertThat(
              client
                  .configMaps()
                  .inNamespace(ns.name())
                  .withName("settings")
                  .get()
                  .getData()
                  .get("value"))
          .isEqualTo("one");

      // The receiver that is not there: every attempt failed, counted; the controller went on
      // syncing and healing meanwhile, as above.
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(
                          value(
                              scrape(url),
                              "tagflow_notifications_total",
                              Map.of("result", "failed", "event", "sync-succeeded")))
                      .isGreaterThanOrEqualTo(1.0));
      assertThat(log()).contains("webhook=gone project=shop event=sync-succeeded");

      HttpResponse<String> ready = get(url.resolve("/readyz"));
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      JsonNode checks = PlainJson.MAPPER.readTree(ready.body()).get("checks");
      assertThat(checks.findValuesAsString("name")).containsExactly("store", "cluster/local");
      assertThat(get(url.resolve("/healthz")).statusCode()).isEqualTo(200);

      // Filters: the webhook that asked for failed runs heard nothing of syncs.
      assertThat(failuresOnly.requests).isEmpty();
      String last = scrape(url);
      String gitToken = Files.readString(temp.resolve("data/git-tokens")).strip();
      assertThat(last)
          .doesNotContain(KEY)
          .doesNotContain(gitToken)
          .doesNotContainPattern("://[^/\\s\"]*@");
      assertThat(ready.body()).doesNotContain(KEY).doesNotContain(gitToken);
      assertThat(log()).doesNotContain(KEY).doesNotContain(team.url().toString());
    }
  }

  private URI start(Path config) throws Exception {
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    server =
        TagflowProcess.of(
                List.of(
                    "server",
                    "--config",
                    config.toString(),
                    "--data-dir",
                    temp.resolve("data").toString(),
                    "--port",
                    "0"),
                out,
                err)
            .start();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> LISTENING.matcher(Files.readString(out)).find() || !server.isAlive());
    assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
    Matcher matcher = LISTENING.matcher(Files.readString(out));
    assertThat(matcher.find()).isTrue();
    return URI.create(matcher.group(1));
  }

  private String log() throws Exception {
    return Files.readString(temp.resolve("server.out"))
        + Files.readString(temp.resolve("server.err"));
  }

  private String scrape(URI url) throws Exception {
    HttpResponse<String> metrics = get(url.resolve("/metrics"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    return metrics.body();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> with(Map<String, String> labels, String... more) {
    Map<String, String> all = new HashMap<>(labels);
    for (int i = 0; i < more.length; i += 2) {
      all.put(more[i], more[i + 1]);
    }
    return all;
  }

  /**
   * The sum of the series of a metric whose labels include these, as Prometheus' text gives them;
   * NaN when there is none.
   */
  private static double value(String scrape, String metric, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
        continue;
      }
      boolean matches =
          labels.entrySet().stream()
              .allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (matches) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }
}
