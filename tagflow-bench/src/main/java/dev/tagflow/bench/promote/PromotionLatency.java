package dev.tagflow.bench.promote;

import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.promote.EnvironmentHealth;
import dev.tagflow.promote.PromotionRequest;
import dev.tagflow.promote.PromotionResult;
import dev.tagflow.promote.ReleaseRef;
import dev.tagflow.promote.WriterOptions;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Bench command: how long one promotion takes from the call to the pushed commit — fetch, policy,
 * values edit, commit, push — into an environment repository on local disk, one at a time; then two
 * writers promoting into the same repository at once, with how many pushes each needed.
 *
 * <p>Run: {@code java -cp 'tagflow-bench/target/tagflow-bench.jar:tagflow-bench/target/lib/*'
 * dev.tagflow.bench.promote.PromotionLatency [promotions=50] [warmup=10]}
 */
public final class PromotionLatency {

  private static final String POLICY =
      """
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - {name: dev, accept: [{tags: "v*"}], promotion: auto}
        - {name: staging, accept: [{tags: "v*", prerelease: false}], promotion: auto}
      """;

  private static final String VALUES =
      """
      # web
      replicaCount: 2
      image:
        repository: registry.local/web
        tag: "0.0.0"
      """;

  private PromotionLatency() {}

  public static void main(String[] args) throws Exception {
    int promotions = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path temp = Files.createTempDirectory("tagflow-bench-promote");
    String origin = environmentRepository(temp);
    Files.createDirectories(temp.resolve("data"));
    try (JdbcStore store =
            JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(temp.resolve("data"))));
        RemoteAccess remotes = RemoteAccess.anonymous(new SimpleMeterRegistry());
        EnvRepoWriter first = writer(temp.resolve("first"), remotes, store);
        EnvRepoWriter second = writer(temp.resolve("second"), remotes, store)) {
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < warmup + promotions; i++) {
        long start = System.nanoTime();
        PromotionResult result = first.promote(request(origin, "v1.0." + i, "dev"));
        double took = (System.nanoTime() - start) / 1e6;
        check(result);
        if (i >= warmup) {
          millis.add(took);
        }
      }
      System.out.printf(
          "one writer, %d promotions: call -> commit pushed median %.1f ms, p90 %.1f ms%n",
          promotions, percentile(millis, 50), percentile(millis, 90));

      int each = Math.max(1, promotions / 2);
      long start = System.nanoTime();
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        Future<List<Integer>> a = pool.submit(() -> attempts(first, origin, "v2.0.", "dev", each));
        Future<List<Integer>> b =
            pool.submit(() -> attempts(second, origin, "v3.0.", "staging", each));
        List<Integer> all = new ArrayList<>(a.get());
        all.addAll(b.get());
        double wall = (System.nanoTime() - start) / 1e6;
        System.out.printf(
            "two writers, %d promotions each at once: %.1f ms per promotion (wall %.0f ms),"
                + " pushes per promotion: mean %.2f, max %d%n",
            each,
            wall / (2 * each),
            wall,
            all.stream().mapToInt(Integer::intValue).average().orElse(0),
            all.stream().mapToInt(Integer::intValue).max().orElse(0));
      }
    }
  }

  private static EnvRepoWriter writer(Path dir, RemoteAccess remotes, JdbcStore store) {
    return new EnvRepoWriter(
        dir,
        remotes,
        store.promotions(),
        EnvironmentHealth.unknown(),
        WriterOptions.defaults().withMaxAttempts(100));
  }

  private static PromotionRequest request(String origin, String tag, String environment) {
    return PromotionRequest.of(
        origin,
        ReleaseRef.ofTag("web", tag, "0123456789abcdef0123456789abcdef01234567"),
        environment);
  }

  private static List<Integer> attempts(
      EnvRepoWriter writer, String origin, String prefix, String environment, int count) {
    List<Integer> attempts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PromotionResult result = writer.promote(request(origin, prefix + i, environment));
      check(result);
      attempts.add(((PromotionResult.Written) result.outcomes().getFirst()).attempts());
    }
    return attempts;
  }

  private static void check(PromotionResult result) {
    if (!(result.outcomes().getFirst() instanceof PromotionResult.Written)) {
      throw new IllegalStateException("not written: " + result);
    }
  }

  private static String environmentRepository(Path temp) throws Exception {
    Path bare = temp.resolve("env.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    Path work = temp.resolve("work");
    try (Git git =
        Git.cloneRepository().setURI(bare.toString()).setDirectory(work.toFile()).call()) {
      Files.createDirectories(work.resolve("environments/dev"));
      Files.createDirectories(work.resolve("environments/staging"));
      Files.writeString(work.resolve("environments/policy.yaml"), POLICY);
      Files.writeString(work.resolve("environments/dev/values.yaml"), VALUES);
      Files.writeString(work.resolve("environments/staging/values.yaml"), VALUES);
      git.add().addFilepattern(".").call();
      PersonIdent me = new PersonIdent("Bench", "bench@tagflow.dev");
      git.commit().setMessage("environments").setAuthor(me).setCommitter(me).call();
      git.push().setRemote("origin").add("HEAD:refs/heads/main").call();
    }
    return bare.toString();
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
