package dev.tagflow.bench.web;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.bench.Figures;
import dev.tagflow.bench.server.TagflowServerProcess;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Bench command: what people wait for in the API and the web UI of a {@code tagflow server} process
 * that runs APPS applications on a local cluster. (1) p50/p95 of the application list (first page,
 * filtered, every page), one application, and the board page {@code /ui}; (2) the time from an
 * application's status change to the event on each of SESSIONS open boards' event streams; (3) the
 * server's resident memory and heap after a GC, without and with those boards open. The method is
 * in BENCHMARKS.md, "API and board with 1,000 applications (issue 12)".
 *
 * <p>{@code java -cp … dev.tagflow.bench.web.WebBench [apps=1000] [requests=200] [changes=20]
 * [sessions=10]}
 */
public final class WebBench {

  private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "production");
  private static final int PROJECTS = 4;
  private static final int PER_NAMESPACE = 50;
  private static final int WARMUP = 20;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private WebBench() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int changes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int sessions = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    Path temp = Files.createTempDirectory("tagflow-bench-web");
    System.out.printf(
        "web bench: %d applications, %d requests per route, %d status changes, %d boards;"
            + " load average %s%n",
        apps, requests, changes, sessions, Figures.loadAverage());
    try (LocalCluster cluster =
        LocalCluster.start(
            ClusterOptions.defaults("bench-web", temp.resolve("cluster"), true), line -> {})) {
      new WebBench().run(temp, cluster, apps, requests, changes, sessions);
    }
  }

  private void run(
      Path temp, LocalCluster cluster, int apps, int requests, int changes, int sessions)
      throws Exception {
    Path repo = writeRepository(temp, apps);
    Path appsDir = writeApplications(temp, repo, apps);
    Instant started = Instant.now();
    try (TagflowServerProcess server =
            TagflowServerProcess.start(
                Files.createDirectories(temp.resolve("data")),
                List.of(
                    "--port",
                    "0",
                    "--apps",
                    appsDir.toString(),
                    "--kubeconfig",
                    cluster.kubeconfig().toString(),
                    "--poll-interval",
                    "10m"),
                "server");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        KubernetesClient kube = cluster.newClient()) {
      System.out.printf(
          "setup: the server listened %.1f s after its start (it registers every Application file"
              + " first); load %s%n",
          Duration.between(started, Instant.now()).toMillis() / 1000.0, Figures.loadAverage());
      awaitAllSynced(server, apps);
      System.out.printf(
          "setup: %d applications Synced and Healthy %.1f s after the server's start; load %s%n",
          apps,
          Duration.between(started, Instant.now()).toMillis() / 1000.0,
          Figures.loadAverage());
      String token = server.adminToken();
      String cookie = login(http, server.url(), token);

      memory("memory, no board open", server);

      System.out.printf(
          "(1) latency, %d requests each after %d warm-up, one at a time:%n", requests, WARMUP);
      String some = name(apps / 2);
      String project = "team-1";
      String bearer = "Bearer " + token;
      latency(
          http,
          server.url() + "/api/v1/applications",
          "Authorization",
          bearer,
          requests,
          "GET /api/v1/applications (first page, 100)");
      latency(
          http,
          server.url() + "/api/v1/applications?project=" + project + "&environment=production",
          "Authorization",
          bearer,
          requests,
          "GET /api/v1/applications?project=" + project + "&environment=production");
      latency(
          http,
          server.url() + "/api/v1/applications?sync=Synced&health=Healthy&limit=500",
          "Authorization",
          bearer,
          requests,
          "GET /api/v1/applications?sync=Synced&health=Healthy&limit=500");
      allPages(http, server.url(), bearer, requests, apps);
      latency(
          http,
          server.url() + "/api/v1/applications/" + some,
          "Authorization",
          bearer,
          requests,
          "GET /api/v1/applications/" + some);
      latency(
          http,
          server.url() + "/ui",
          "Cookie",
          cookie,
          requests,
          "GET /ui (the board, session cookie)");
      System.out.printf("    load average after (1): %s%n", Figures.loadAverage());

      List<BoardStream> boards = new ArrayList<>();
      try {
        for (int i = 0; i < sessions; i++) {
          boards.add(BoardStream.open(http, server.url(), login(http, server.url(), token)));
        }
        memory(
            "memory, " + sessions + " boards open (a session each, its event stream held)", server);
        sse(http, server, kube, boards, apps, changes, bearer);
        memory("memory, after the status changes, " + sessions + " boards still open", server);
      } finally {
        for (BoardStream board : boards) {
          board.close();
        }
      }
    }
  }

  /** One ConfigMap per application, each in a folder of its own, one commit. */
  private static Path writeRepository(Path temp, int apps) {
    Path bare = temp.resolve("environments.git");
    GitWorkTree tree = GitWorkTree.init(temp.resolve("environments-work")).withOrigin(bare);
    for (int i = 0; i < apps; i++) {
      tree.write(
          "apps/" + name(i) + "/configmap.yaml",
          """
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: %s}
          data: {value: "from git"}
          """
              .formatted(name(i)));
    }
    tree.commit(apps + " applications").git("push", "-q", "origin", "main");
    return bare;
  }

  /**
   * Application files: a service in three environments per three applications (the board's rows and
   * columns), four projects, 50 applications per namespace, automated with self-heal.
   */
  private static Path writeApplications(Path temp, Path repo, int apps) throws IOException {
    Path dir = Files.createDirectories(temp.resolve("apps"));
    for (int i = 0; i < apps; i++) {
      Files.writeString(
          dir.resolve(name(i) + ".yaml"),
          """
          apiVersion: tagflow.dev/v1alpha1
          kind: Application
          metadata: {name: %s, labels: {env: %s}}
          spec:
            project: team-%d
            source: {repoURL: "%s", targetRevision: main, path: apps/%s}
            destination: {cluster: local, namespace: %s}
            syncPolicy:
              automated: {prune: true, selfHeal: true}
              syncOptions: [CreateNamespace=true]
          """
              .formatted(
                  name(i),
                  ENVIRONMENTS.get(i % ENVIRONMENTS.size()),
                  (i / ENVIRONMENTS.size()) % PROJECTS,
                  repo,
                  name(i),
                  namespace(i)));
    }
    return dir;
  }

  private static String name(int i) {
    return "svc-%03d-%s"
        .formatted(i / ENVIRONMENTS.size(), ENVIRONMENTS.get(i % ENVIRONMENTS.size()));
  }

  private static String namespace(int i) {
    return "web-%02d".formatted(i / PER_NAMESPACE);
  }

  private static void awaitAllSynced(TagflowServerProcess server, int apps) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
    long done = 0;
    while (Instant.now().isBefore(deadline)) {
      server.requireAlive();
      done =
          server.applications().stream()
              .filter(a -> NodeText.of(a.path("sync")).equals("Synced"))
              .filter(a -> NodeText.of(a.path("health")).equals("Healthy"))
              .count();
      if (done == apps) {
        return;
      }
      Thread.sleep(2000);
    }
    throw new IllegalStateException(
        done + " of " + apps + " applications Synced within 30 minutes");
  }

  /** Logs in with the token as the UI's login form does; the session's cookie. */
  private static String login(HttpClient http, String url, String token) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        PlainJson.MAPPER.writeValueAsString(Map.of("token", token))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201) {
      throw new IllegalStateException(
          "login answered " + answer.statusCode() + ": " + answer.body());
    }
    return answer.headers().allValues("Set-Cookie").stream()
        .map(c -> c.split(";", 2)[0])
        .filter(c -> c.startsWith("tagflow_session="))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the login set no session cookie"));
  }

  private static void latency(
      HttpClient http, String url, String header, String value, int requests, String label)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header(header, value).build();
    List<Double> millis = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < WARMUP + requests; i++) {
      long start = System.nanoTime();
      HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      long took = System.nanoTime() - start;
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(label + " answered " + answer.statusCode());
      }
      bytes = answer.body().length;
      if (i >= WARMUP) {
        millis.add(took / 1e6);
      }
    }
    print(label + " [" + String.format("%,d", bytes) + " B]", millis);
  }

  /** Every application, page by page of 500, as {@code tagflow app list} reads them. */
  private static void allPages(HttpClient http, String url, String bearer, int requests, int apps)
      throws Exception {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < WARMUP + requests; i++) {
      long start = System.nanoTime();
      int count = 0;
      String after = null;
      do {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            url
                                + "/api/v1/applications?limit=500"
                                + (after == null ? "" : "&after=" + after)))
                    .header("Authorization", bearer)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode page = PlainJson.MAPPER.readTree(answer.body());
        count += page.get("items").size();
        after = page.path("next").isString() ? page.get("next").stringValue() : null;
      } while (after != null);
      long took = System.nanoTime() - start;
      if (count != apps) {
        throw new IllegalStateException("the pages held " + count + " applications, not " + apps);
      }
      if (i >= WARMUP) {
        millis.add(took / 1e6);
      }
    }
    print("GET /api/v1/applications?limit=500, every page (" + apps + " applications)", millis);
  }

  /**
   * Changes one application's ConfigMap by hand (drift: its status turns OutOfSync) and waits for
   * that cell's event on every open board; then waits for self-heal before the next change.
   */
  private static void sse(
      HttpClient http,
      TagflowServerProcess server,
      KubernetesClient kube,
      List<BoardStream> boards,
      int apps,
      int changes,
      String bearer)
      throws Exception {
    List<Double> fromStatus = new ArrayList<>();
    List<Double> fromEdit = new ArrayList<>();
    int missed = 0;
    int unmatched = 0;
    for (int k = 0; k < changes; k++) {
      int i = (k * 97 + 13) % apps;
      String app = name(i);
      String event = "app-" + app;
      String value = "by hand " + k;
      Instant edited = Instant.now();
      kube.configMaps()
          .inNamespace(namespace(i))
          .withName(app)
          .edit(
              cm -> {
                cm.getData().put("value", value);
                return cm;
              });
      List<Instant> arrivals = new ArrayList<>();
      for (BoardStream board : boards) {
        Optional<BoardStream.Seen> seen = board.await(event, edited, Duration.ofSeconds(30));
        if (seen.isEmpty()) {
          missed++;
        } else {
          arrivals.add(seen.get().at());
          fromEdit.add(Duration.between(edited, seen.get().at()).toNanos() / 1e6);
        }
      }
      // The status that made the event: OutOfSync, with the time the controller compared.
      JsonNode status = get(http, server.url() + "/api/v1/applications/" + app, bearer);
      if (NodeText.of(status.path("sync")).equals("OutOfSync") && !arrivals.isEmpty()) {
        Instant changed = Instant.parse(NodeText.of(status.get("reconciledAt")));
        for (Instant at : arrivals) {
          fromStatus.add(Duration.between(changed, at).toNanos() / 1e6);
        }
      } else {
        unmatched++;
      }
      awaitHealed(http, server.url(), app, bearer, edited);
    }
    System.out.printf(
        "(2) status change -> board event, %d changes x %d boards (%d events missed, %d changes"
            + " whose status had moved on before it was read):%n",
        changes, boards.size(), missed, unmatched);
    print("reconcile that changed it began (reconciledAt) -> event read", fromStatus);
    print("hand edit sent -> event's data line read (watch, compare, event)", fromEdit);
    System.out.printf("    load average after (2): %s%n", Figures.loadAverage());
  }

  private static void awaitHealed(
      HttpClient http, String url, String app, String bearer, Instant edited) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      JsonNode status = get(http, url + "/api/v1/applications/" + app, bearer);
      if (NodeText.of(status.path("sync")).equals("Synced")
          && Instant.parse(NodeText.of(status.get("reconciledAt"))).isAfter(edited)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(app + " was not healed within 2 minutes");
  }

  private static JsonNode get(HttpClient http, String url, String bearer) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer).build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + " answered " + answer.statusCode());
    }
    return PlainJson.MAPPER.readTree(answer.body());
  }

  /** The server's resident memory, then its heap after a full GC (jcmd GC.run, GC.heap_info). */
  private static void memory(String label, TagflowServerProcess server) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    run(jcmd, Long.toString(server.pid()), "GC.run");
    String heap = run(jcmd, Long.toString(server.pid()), "GC.heap_info");
    Matcher used = HEAP_USED.matcher(heap);
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + server.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    System.out.printf(
        "%s: resident %d MiB, heap used after GC %s MiB; load %s%n",
        label,
        rss,
        used.find() ? Long.parseLong(used.group(1)) / 1024 : "?",
        Figures.loadAverage());
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  private static void print(String label, List<Double> millis) {
    System.out.printf(
        "    %-78s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms   (n=%d)%n",
        label,
        Figures.percentile(millis, 50),
        Figures.percentile(millis, 95),
        Figures.percentile(millis, 100),
        millis.size());
  }
}
