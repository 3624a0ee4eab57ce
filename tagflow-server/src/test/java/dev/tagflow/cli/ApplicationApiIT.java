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
 * {@code /api/v1/applications} of a real {@code tagflow server} process with a production
 * application on the testkit's cluster: listed and filtered, read (status, tree, history, events),
 * synced by a release manager (a deployer is refused in production), and rolled back to an earlier
 * sync of its history.
 */
@ExtendWith(LocalClusterExtension.class)
class ApplicationApiIT {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path temp;

  private final String name = "api-" + UUID.randomUUID().toString().substring(0, 8);
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

  private static String configMap(String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {value: "%s"}
        """
        .formatted(value);
  }

  private static String value(KubernetesClient client, String namespace) {
    ConfigMap settings = client.configMaps().inNamespace(namespace).withName("settings").get();
    return settings == null ? null : settings.getData().get("value");
  }

  private HttpResponse<String> call(URI url, String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + token);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode read(URI url, String path, String token) throws Exception {
    HttpResponse<String> answer = call(url, "GET", path, null, token);
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
    return PlainJson.MAPPER.readTree(answer.body());
  }

  private static String token(Path data, String owner) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "token", "create", owner + "-it", "--owner", owner, "--data-dir", data.toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return out.toString().strip();
  }

  @Test
  void aReleaseManagerSyncsAndRollsBackAProductionApplicationThroughTheApi(
      LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    GitWorkTree repo = GitWorkTree.init(temp.resolve("env"));
    repo.write("environments/production/settings.yaml", configMap("one"));
    repo.commit("settings one");
    Path apps = Files.createDirectories(temp.resolve("apps"));
    Files.writeString(
        apps.resolve(name + ".yaml"),
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          project: shop
          source: {repoURL: "%s", targetRevision: main, path: environments/production}
          destination: {cluster: local, namespace: %s}
        """
            .formatted(name, repo.url(), ns.name()));
    Path data = Files.createDirectories(temp.resolve("data"));
    Path config = temp.resolve("tagflow.yaml");
    Files.writeString(
        config,
        """
        dataDir: %s
        projects:
          - name: shop
            destinations: [{cluster: "*", namespace: "*"}]
        rbac:
          policy: |
            g, dee, role:deployer
            g, rita, role:release-manager
            g, vic, role:viewer
        """
            .formatted(data));
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
    String deployer = token(data, "dee");
    String releaseManager = token(data, "rita");
    String viewer = token(data, "vic");

    // Listed and filtered; compared with Git but not synced (no automated policy).
    try {
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  read(url, "/api/v1/applications?environment=production", viewer)
                      .path("items")
                      .findValuesAsString("sync")
                      .contains("OutOfSync"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          read(url, "/api/v1/applications/" + name, viewer) + "\n" + Files.readString(err), e);
    }
    JsonNode item = read(url, "/api/v1/applications?project=shop", viewer).path("items").get(0);
    assertThat(item.path("name").asText()).isEqualTo(name);
    assertThat(item.path("environment").asText()).isEqualTo("production");
    assertThat(item.path("destination").path("namespace").asText()).isEqualTo(ns.name());
    assertThat(read(url, "/api/v1/applications?project=other", viewer).path("items").size())
        .isZero();
    assertThat(read(url, "/api/v1/applications?sync=Synced", viewer).path("items").size()).isZero();

    String app = "/api/v1/applications/" + name;
    // Production: a deployer may refresh but not sync; a viewer neither.
    assertThat(call(url, "POST", app + "/sync", "{}", deployer).statusCode()).isEqualTo(403);
    assertThat(call(url, "POST", app + "/refresh", null, viewer).statusCode()).isEqualTo(403);
    assertThat(call(url, "POST", app + "/refresh", null, deployer).statusCode()).isEqualTo(202);
    HttpResponse<String> hard = call(url, "POST", app + "/refresh", "{\"hard\":true}", deployer);
    assertThat(hard.statusCode()).as(hard.body()).isEqualTo(202);
    assertThat(PlainJson.MAPPER.readTree(hard.body()).path("options").path("hard").asBoolean())
        .isTrue();
    HttpResponse<String> sync =
        call(url, "POST", app + "/sync", "{\"prune\":true}", releaseManager);
    assertThat(sync.statusCode()).as(sync.body()).isEqualTo(202);
    assertThat(PlainJson.MAPPER.readTree(sync.body()).path("operation").asText()).isEqualTo("sync");
    await().atMost(PATIENCE).until(() -> "one".equals(value(client, ns.name())));
    await()
        .atMost(PATIENCE)
        .until(() -> read(url, app, viewer).path("sync").asText().equals("Synced"));

    JsonNode detail = read(url, app, viewer);
    assertThat(detail.path("project").asText()).isEqualTo("shop");
    assertThat(detail.path("operation").path("phase").asText()).isNotBlank();
    JsonNode tree = read(url, app + "/tree", viewer).path("objects");
    assertThat(tree.findValuesAsString("kind")).contains("ConfigMap");
    assertThat(tree.get(0).path("sync").asText()).isEqualTo("Synced");

    // A second sync at a new commit, then back to the first through the history.
    repo.write("environments/production/settings.yaml", configMap("two"));
    repo.commit("settings two");
    await()
        .atMost(PATIENCE)
        .until(() -> read(url, app, viewer).path("sync").asText().equals("OutOfSync"));
    await()
        .atMost(PATIENCE)
        .until(() -> call(url, "POST", app + "/sync", null, releaseManager).statusCode() == 202);
    await().atMost(PATIENCE).until(() -> "two".equals(value(client, ns.name())));
    await()
        .atMost(PATIENCE)
        .until(() -> read(url, app + "/history", viewer).path("items").size() >= 2);
    JsonNode history = read(url, app + "/history", viewer).path("items");
    long first = history.get(history.size() - 1).path("id").asLong();
    assertThat(history.get(history.size() - 1).path("result").asText()).isNotBlank();

    assertThat(call(url, "POST", app + "/rollback", "{\"id\":999999}", releaseManager).statusCode())
        .isEqualTo(404);
    assertThat(
            call(url, "POST", app + "/rollback", "{\"id\":" + first + "}", deployer).statusCode())
        .isEqualTo(403);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                call(url, "POST", app + "/rollback", "{\"id\":" + first + "}", releaseManager)
                        .statusCode()
                    == 202);
    await().atMost(PATIENCE).until(() -> "one".equals(value(client, ns.name())));

    JsonNode events = read(url, app + "/events?limit=50", viewer).path("items");
    assertThat(events.findValuesAsString("reason")).isNotEmpty();
    assertThat(read(url, "/api/v1/audit", releaseManager).toString())
        .contains("shop/production/" + name)
        .contains("/rollback");
    assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
  }
}
