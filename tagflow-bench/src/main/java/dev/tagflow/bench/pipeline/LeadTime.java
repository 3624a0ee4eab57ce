package dev.tagflow.bench.pipeline;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.bench.server.TagflowServerProcess;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.StoredStatuses;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Bench command: the lead time of a release, from {@code git push} of a tag to the application
 * Healthy in dev, on real parts — a local cluster, a {@code tagflow server} process with its own
 * Git server, the demo's chart and dev Application — split into the pipeline (push → first step;
 * the user's steps; last step → promotion commit) and the delivery (promotion commit → the
 * controller's sync started → sync finished → status Healthy).
 *
 * <ul>
 *   <li>{@code webhook}: the environment repository is hosted by the server's own Git server, so
 *       the promotion's push reaches the controller as an event (as a webhook would).
 *   <li>{@code polling}: the environment repository is a bare repository on disk that the
 *       controller polls every {@code interval}; the wait for the next poll is in the delivery.
 * </ul>
 *
 * <p>Run: {@code java -cp 'tagflow-bench/target/tagflow-bench.jar:tagflow-bench/target/lib/*'
 * dev.tagflow.bench.pipeline.LeadTime webhook|polling [runs=5] [warmup=1] [interval=10s]}
 */
public final class LeadTime {

  private static final String TOKEN = "tf_lead_time_bench_token_0123456789";
  private static final String DEMO = "/dev/tagflow/demo/environments/";

  private LeadTime() {}

  /** The times of one release. */
  record Sample(
      Instant pushed,
      Instant firstStep,
      Instant lastStep,
      Instant promoted,
      Instant syncStarted,
      Instant syncFinished,
      Instant healthy) {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "webhook";
    if (!mode.equals("webhook") && !mode.equals("polling")) {
      throw new IllegalArgumentException("mode is webhook or polling, not '" + mode + "'");
    }
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    String interval = args.length > 3 ? args[3] : "10s";
    Path temp = Files.createTempDirectory("tagflow-bench-lead-time");
    String loadBefore = PipelineOverhead.loadAverage();
    List<Sample> samples;
    try (LocalCluster cluster =
        LocalCluster.start(
            ClusterOptions.defaults("bench-lead-" + mode, temp.resolve("cluster"), true),
            line -> {})) {
      samples = run(mode.equals("webhook"), interval, temp, cluster, runs, warmup);
    }
    print(mode, interval, samples, warmup, loadBefore, PipelineOverhead.loadAverage());
  }

  private static List<Sample> run(
      boolean webhook, String interval, Path temp, LocalCluster cluster, int runs, int warmup)
      throws Exception {
    Path data = Files.createDirectories(temp.resolve("data"));
    HostedRepositories hosted = new HostedRepositories(data.resolve("git"));
    hosted.create("app");
    int port = freePort();
    String url = "http://127.0.0.1:" + port;
    Path envBare;
    String envUrl;
    if (webhook) {
      envBare = hosted.create("environments").directory();
      envUrl = url + "/git/environments.git";
    } else {
      envBare = temp.resolve("environments.git");
      envUrl = envBare.toString();
    }
    if (!webhook) {
      // The controller reads apps/ when it starts: the polled repository must be there by then.
      pushEnvironments(temp, envUrl, envUrl);
    }
    Path tokens = Files.writeString(temp.resolve("tokens"), TOKEN + "\n");
    Path settings =
        Files.writeString(
            temp.resolve("tagflow.yaml"),
            """
            listen: 127.0.0.1:%d
            gitTokenFile: %s
            clusters:
              - {name: local, kubeconfig: %s}
            repositories:
              - {name: environments, url: "%s", pollInterval: %s}
            applications:
              - {repository: environments, revision: main, path: apps}
            reconcile: {interval: 3m, concurrency: 8, selfHealGrace: 5s}
            """
                .formatted(port, tokens, cluster.kubeconfig(), envUrl, interval));
    // Ctrl-C: the server goes too (its shutdown hook; the cluster has its own watchdog).
    try (TagflowServerProcess server =
        TagflowServerProcess.start(data, List.of("--config", settings.toString()), "server")) {
      String withToken = url.replace("http://", "http://bench:" + TOKEN + "@");
      String envPush = webhook ? withToken + "/git/environments.git" : envUrl;
      ReleaseMarks marks = new ReleaseMarks(temp.resolve("marks"));
      if (webhook) {
        pushEnvironments(temp, envUrl, envPush);
      }
      GitWorkTree app =
          GitWorkTree.init(temp.resolve("app-work"))
              .write(".github/workflows/release.yml", marks.workflow(envPush))
              .commit("release workflow");
      app.git("push", "-q", withToken + "/git/app.git", "main");
      try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
          BranchWatch main = new BranchWatch(envBare, "main")) {
        StoredStatuses statuses = new StoredStatuses(store);
        awaitFirstSync(statuses, server::requireAlive);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
          String tag = "v1." + i + ".0";
          app.git("tag", "-a", tag, "-m", "release " + tag);
          Instant pushed = Instant.now();
          app.git("push", "-q", "--tags", withToken + "/git/app.git");
          RunRecord run =
              PipelineOverhead.awaitRun(store, "refs/tags/" + tag, server::requireAlive);
          JsonNode result = PlainJson.MAPPER.readTree(run.result().orElseThrow());
          if (run.status() != RunRecord.RunStatus.SUCCESS) {
            throw new IllegalStateException("run of " + tag + " " + run.status() + ": " + result);
          }
          String commit =
              NodeText.of(PipelineOverhead.promoteStep(result).path("outputs").path("dev-commit"));
          Instant healthy = awaitHealthy(statuses, commit, server::requireAlive);
          ApplicationStatus.Operation sync =
              statuses.get("web-dev").flatMap(ApplicationStatus::operation).orElseThrow();
          samples.add(
              new Sample(
                  pushed,
                  marks.firstStepStarted(tag),
                  marks.lastStepEnded(tag),
                  main.movedTo(commit).orElseThrow(),
                  sync.startedAt(),
                  sync.finishedAt().orElseThrow(),
                  healthy));
        }
        return samples;
      }
    }
  }

  /** The demo's chart, dev values and dev Application, with a dev-only policy, pushed to main. */
  private static void pushEnvironments(Path temp, String envUrl, String pushTo) {
    GitWorkTree env = GitWorkTree.init(temp.resolve("env-work"));
    for (String file :
        List.of(
            "helm-charts/app/Chart.yaml",
            "helm-charts/app/values.yaml",
            "helm-charts/app/templates/deployment.yaml",
            "helm-charts/app/templates/service.yaml",
            "environments/dev/values.yaml",
            "apps/web-dev.yaml")) {
      env.write(file, demoFile(file).replace("ENVIRONMENTS_URL", envUrl));
    }
    env.write("environments/policy.yaml", ReleaseMarks.POLICY).commit("environments");
    if (pushTo.startsWith("http")) {
      env.git("push", "-q", pushTo, "main");
    } else {
      env.withOrigin(Path.of(pushTo)).git("push", "-q", "origin", "main");
    }
  }

  /** Before the first release: web-dev synced (only its Service) and Healthy. */
  private static void awaitFirstSync(StoredStatuses statuses, Runnable check)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (statuses.get("web-dev").map(ApplicationStatus::isReady).orElse(false) == false) {
      check.run();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("web-dev not Synced and Healthy within 3 minutes");
      }
      Thread.sleep(50);
    }
  }

  /**
   * When web-dev is first seen Healthy with the commit deployed by a finished sync of it; the store
   * is read every 10 ms, so the time is late by up to that and the store's write.
   */
  private static Instant awaitHealthy(StoredStatuses statuses, String commit, Runnable check)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      check.run();
      Optional<ApplicationStatus> status = statuses.get("web-dev");
      if (status.isPresent()
          && status.get().health().health() == Health.HEALTHY
          && status.get().deployed().map(d -> d.revision().commit().equals(commit)).orElse(false)
          && status
              .get()
              .operation()
              .map(o -> o.revision().commit().equals(commit) && o.finishedAt().isPresent())
              .orElse(false)) {
        return Instant.now();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("web-dev not Healthy at " + commit + " within 5 minutes");
  }

  private static String demoFile(String name) {
    try (InputStream in = LeadTime.class.getResourceAsStream(DEMO + name)) {
      if (in == null) {
        throw new IllegalStateException("the demo's " + name + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void print(
      String mode,
      String interval,
      List<Sample> all,
      int warmup,
      String loadBefore,
      String loadAfter) {
    List<Sample> s = all.subList(Math.min(warmup, all.size()), all.size());
    System.out.printf(
        "lead time, git push of a tag -> web-dev Healthy (%s), %d releases after %d warm-up;"
            + " load average before %s, after %s%n",
        mode.equals("webhook")
            ? "environment repository on the server's Git server: pushes are events"
            : "environment repository polled every " + interval,
        s.size(),
        warmup,
        loadBefore,
        loadAfter);
    line("push -> Healthy in dev (lead time)", s, Sample::pushed, Sample::healthy);
    line("pipeline: push -> first step started", s, Sample::pushed, Sample::firstStep);
    line("pipeline: the user's steps", s, Sample::firstStep, Sample::lastStep);
    line("pipeline: last step -> promotion commit", s, Sample::lastStep, Sample::promoted);
    line("delivery: promotion commit -> sync started", s, Sample::promoted, Sample::syncStarted);
    line("delivery: sync started -> finished", s, Sample::syncStarted, Sample::syncFinished);
    line("delivery: sync finished -> seen Healthy", s, Sample::syncFinished, Sample::healthy);
    List<Double> own =
        s.stream()
            .map(
                x ->
                    millis(x.pushed(), x.firstStep())
                        + millis(x.lastStep(), x.promoted())
                        + millis(x.promoted(), x.syncStarted()))
            .toList();
    List<Double> withSync =
        s.stream()
            .map(x -> millis(x.pushed(), x.syncFinished()) - millis(x.firstStep(), x.lastStep()))
            .toList();
    total("Tagflow's own: trigger + promotion + detection", own);
    total("  the same + the sync (apply, wait for health)", withSync);
  }

  private static void total(String label, List<Double> values) {
    System.out.printf(
        "  %-50s median %8.1f ms   p90 %8.1f ms%n",
        label, PipelineOverhead.percentile(values, 50), PipelineOverhead.percentile(values, 90));
  }

  private static void line(
      String label,
      List<Sample> samples,
      Function<Sample, Instant> from,
      Function<Sample, Instant> to) {
    List<Double> values = samples.stream().map(x -> millis(from.apply(x), to.apply(x))).toList();
    System.out.printf(
        "  %-50s median %8.1f ms   p90 %8.1f ms   max %8.1f ms%n",
        label,
        PipelineOverhead.percentile(values, 50),
        PipelineOverhead.percentile(values, 90),
        PipelineOverhead.percentile(values, 100));
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }
}
