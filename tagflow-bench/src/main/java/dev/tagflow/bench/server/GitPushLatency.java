package dev.tagflow.bench.server;

import dev.tagflow.local.git.GitCommand;
import dev.tagflow.server.ServerConfig;
import dev.tagflow.server.TagflowDaemon;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.server.rbac.Authorizer;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Bench command: the time from starting {@code git push} of one tag to Tagflow's built-in Git
 * server until the {@link RefChanged} for that tag is delivered, over loopback HTTP. Prints the
 * median and p90 of N pushes, and the same figures for the {@code git push} process alone.
 *
 * <p>Run: {@code java -cp 'tagflow-bench/target/tagflow-bench.jar:tagflow-bench/target/lib/*'
 * dev.tagflow.bench.server.GitPushLatency [pushes=50] [warmup=10]}
 */
public final class GitPushLatency {

  private static final String TOKEN = "bench-token";

  private GitPushLatency() {}

  public static void main(String[] args) throws Exception {
    int pushes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path temp = Files.createTempDirectory("tagflow-bench-push");
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Map<String, Long> seenAt = new ConcurrentHashMap<>();
    Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
    Files.createDirectories(temp.resolve("data"));
    OwnGitCredentials own =
        OwnGitCredentials.create(temp.resolve("data"), url -> RepoCredentials.none());
    try (RemoteAccess remotes = new RemoteAccess(own, Duration.ofSeconds(60), meters);
        JdbcStore store =
            JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(temp.resolve("data"))));
        TagflowDaemon daemon =
            new TagflowDaemon(
                ServerConfig.onLoopback(0, temp.resolve("data")),
                new RefTracker(remotes, meters, Clock.systemUTC()),
                List::of,
                Optional.empty(),
                AccessTokens.of(TOKEN),
                own,
                meters,
                Optional::empty,
                new AccessControl.Sources(
                    store,
                    Authorizer.builtinOnly(),
                    AccessControl.Settings.defaults(),
                    Clock.systemUTC()))) {
      for (EventSource source : daemon.eventSources()) {
        source.start(
            event -> {
              seenAt.putIfAbsent(event.ref(), System.nanoTime());
              CountDownLatch latch = waiting.get(event.ref());
              if (latch != null) {
                latch.countDown();
              }
            });
      }
      daemon.start();
      URI base = daemon.server().url();
      createRepository(base);
      String pushUrl =
          base.toString().replace("http://", "http://bench:" + TOKEN + "@") + "/git/app.git";

      Path work = temp.resolve("work");
      git(temp, "init", "-q", "-b", "main", work.toString());
      git(work, "commit", "-q", "--allow-empty", "-m", "first");
      git(work, "push", "-q", pushUrl, "main");

      List<Double> toEvent = new ArrayList<>();
      List<Double> pushOnly = new ArrayList<>();
      for (int i = 0; i < warmup + pushes; i++) {
        String tag = "v0." + i + ".0";
        String ref = "refs/tags/" + tag;
        git(work, "tag", tag);
        CountDownLatch latch = new CountDownLatch(1);
        waiting.put(ref, latch);
        long start = System.nanoTime();
        git(work, "push", "-q", pushUrl, tag);
        long pushed = System.nanoTime();
        if (!latch.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no RefChanged for " + ref + " within 10 s");
        }
        if (i >= warmup) {
          toEvent.add(millis(seenAt.get(ref) - start));
          pushOnly.add(millis(pushed - start));
        }
      }
      System.out.printf(
          "git push -> RefChanged over loopback, %d pushes (after %d warm-up):%n", pushes, warmup);
      System.out.printf(
          "  push start -> RefChanged   median %6.1f ms   p90 %6.1f ms%n",
          percentile(toEvent, 50), percentile(toEvent, 90));
      System.out.printf(
          "  git push process alone     median %6.1f ms   p90 %6.1f ms%n",
          percentile(pushOnly, 50), percentile(pushOnly, 90));
    }
  }

  private static void createRepository(URI base) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/repos"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"app\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 201) {
        throw new IllegalStateException("cannot create the repository: " + created.body());
      }
    }
  }

  private static void git(Path directory, String... args) {
    new GitCommand().run(directory, args);
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static double percentile(List<Double> values, int percent) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
