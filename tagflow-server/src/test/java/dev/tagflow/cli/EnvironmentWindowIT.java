package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.testkit.junit.LocalClusterExtension;
import dev.tagflow.testkit.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A deny window of the production environment, written in the environment repository's {@code
 * environments/policy.yaml} (not in the server's settings), enforced by a real {@code tagflow
 * server}: a release manager's sync through the API is refused with the window and its closing
 * while it is open, the API and {@code tagflow app get} show it, and the same sync is accepted once
 * it has closed.
 */
@ExtendWith(LocalClusterExtension.class)
class EnvironmentWindowIT {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Duration PATIENCE = Duration.ofSeconds(240);

  @TempDir Path temp;

  private final String name = "freeze-" + UUID.randomUUID().toString().substring(0, 8);
  private final HttpClient http = HttpClient.newHttpClient();
  private Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    http.close();
  }

  private static String policy(String windows) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: EnvironmentPolicy
        environments:
          - name: production
            accept: [{tags: "v*"}]
            promotion: {approval: {required: 1}}
        %s"""
        .formatted(windows);
  }

  private HttpResponse<String> call(URI url, String method, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + token);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode read(URI url, String path, String token) throws Exception {
    HttpResponse<String> answer = call(url, "GET", path, token);
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
    return PlainJson.MAPPER.readTree(answer.body());
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
    return out.toString();
  }

  @Test
  void aManualSyncOfProductionIsRefusedWhileTheEnvironmentsDenyWindowIsOpenAndAcceptedAfter(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("environments/policy.yaml", policy(""));
    repo.write(
        "environments/production/settings.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {value: "one"}
        """);
    repo.commit("production, no window yet");
    Path apps = Files.createDirectories(temp.resolve("apps"));
    Files.writeString(
        apps.resolve(name + ".yaml"),
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "%s", targetRevision: main, path: environments/production}
          destination: {cluster: local, namespace: %s}
        """
            .formatted(name, repo.url(), ns.name()));
    Path data = Files.createDirectories(temp.resolve("data"));
    Path config = temp.resolve("tagflow.yaml");
    Files.writeString(config, "dataDir: %s\n".formatted(data));
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    server =
        TagflowProcess.of(
                List.of(
                    "server",
                    "--config",
                    config.toString(),
                    "--port",
                    "0",
                    "--apps",
                    apps.toString(),
                    "--kubeconfig",
                    cluster.kubeconfig().toString(),
                    "--poll-interval",
                    "1s"),
                out,
                err)
            .start();
    await()
        .atMost(PATIENCE)
        .until(() -> LISTENING.matcher(Files.readString(out)).find() || !server.isAlive());
    Matcher listening = LISTENING.matcher(Files.readString(out));
    assertThat(listening.find()).as(Files.readString(err)).isTrue();
    URI url = URI.create(listening.group(1));
    String admin = Files.readString(data.resolve("admin-token")).strip();
    String app = "/api/v1/applications/" + name;
    await()
        .atMost(PATIENCE)
        .until(
            () -> read(url, app, admin).path("syncWindows").path("automated").asText(),
            "open"::equals);
    assertThat(read(url, app, admin).path("syncWindows").path("windows").size()).isZero();

    // A freeze from this minute, closing at least 90 s from now: long enough to see it hold.
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    ZonedDateTime minute = now.truncatedTo(ChronoUnit.MINUTES);
    int minutes = now.getSecond() < 30 ? 2 : 3;
    Instant closes = minute.plusMinutes(minutes).toInstant();
    String schedule = minute.getMinute() + " " + minute.getHour() + " * * *";
    repo.write(
        "environments/policy.yaml",
        policy(
            """
                syncWindows:
                  - {kind: deny, schedule: "%s", duration: %dm}
            """
                .formatted(schedule, minutes)));
    repo.commit("production freeze");

    await()
        .atMost(PATIENCE)
        .until(
            () -> read(url, app, admin).path("syncWindows").path("automated").asText(),
            "closed"::equals);
    JsonNode windows = read(url, app, admin).path("syncWindows");
    assertThat(windows.path("manual").asText()).isEqualTo("closed");
    assertThat(windows.path("reason").asText())
        .contains("the deny window '" + schedule + "' for " + minutes + "m (UTC) is open")
        .contains("the next window opens at " + closes);
    assertThat(windows.path("opensAt").asText()).isEqualTo(closes.toString());
    assertThat(windows.path("windows").get(0).path("kind").asText()).isEqualTo("deny");

    // The admin may sync production, but not in the window: refused with the window and closing.
    HttpResponse<String> refused = call(url, "POST", app + "/sync", admin);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    JsonNode error = PlainJson.MAPPER.readTree(refused.body());
    assertThat(error.path("error").asText()).isEqualTo("sync_window_closed");
    assertThat(error.path("message").asText())
        .contains("'" + name + "' may not sync now")
        .contains("deny window '" + schedule + "'")
        .contains("the next window opens at " + closes);
    assertThat(error.path("fix").asText()).contains("environments/policy.yaml");
    assertThat(
            run("app", "get", name, "--server", url.toString(), "--token", admin)
                .lines()
                .filter(l -> l.startsWith("Sync window:"))
                .findFirst())
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .contains("closed (manual syncs too): the deny window '" + schedule + "'")
                    .contains("the next window opens at " + closes));
    assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get()).isNull();
    assertThat(Instant.now()).as("the checks above ran inside the window").isBefore(closes);

    // Once the window has closed, the same sync is accepted and applied.
    await().atMost(PATIENCE).until(() -> Instant.now().isAfter(closes));
    HttpResponse<String> accepted = call(url, "POST", app + "/sync", admin);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              ConfigMap settings =
                  client.configMaps().inNamespace(ns.name()).withName("settings").get();
              return settings != null && "one".equals(settings.getData().get("value"));
            });
    assertThat(read(url, app, admin).path("syncWindows").path("automated").asText())
        .isEqualTo("open");
    assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
  }
}
