package dev.tagflow.bench.cluster;

import dev.tagflow.testkit.cluster.ClusterOptions;
import dev.tagflow.testkit.cluster.ControlPlaneBuild;
import dev.tagflow.testkit.cluster.ControlPlaneVersions;
import dev.tagflow.testkit.cluster.LocalCluster;
import dev.tagflow.testkit.process.ComponentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bench command for the testkit's control plane: warm start time to Ready and the memory of the
 * running programs ({@code start N}), or a cold build into an empty cache ({@code cold-build}). The
 * method is written down in BENCHMARKS.md.
 */
public final class ClusterBench {

  private ClusterBench() {}

  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "start";
    switch (mode) {
      case "start" -> start(args.length > 1 ? Integer.parseInt(args[1]) : 5);
      case "cold-build" -> coldBuild();
      default -> {
        System.err.println("usage: ClusterBench start [runs] | cold-build");
        System.exit(2);
      }
    }
  }

  private static void start(int runs) throws IOException {
    List<Long> startMillis = new ArrayList<>();
    Map<String, List<Long>> rssKib = new LinkedHashMap<>();
    List<Long> totalKib = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      Path state = Files.createTempDirectory("tagflow-bench-cluster");
      long started = System.nanoTime();
      try (LocalCluster cluster =
          LocalCluster.start(ClusterOptions.defaults("bench", state, true), line -> {})) {
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        startMillis.add(millis);
        long total = 0;
        for (ComponentProcess process : cluster.components()) {
          if (process.name().equals("watchdog")) {
            continue;
          }
          long kib = residentKib(process.pid());
          rssKib.computeIfAbsent(process.name(), k -> new ArrayList<>()).add(kib);
          total += kib;
        }
        totalKib.add(total);
        System.out.printf(
            "run %d: ready in %d ms, resident memory %d MiB%n", run, millis, total / 1024);
      }
    }
    System.out.printf(
        "start to Ready: median %d ms, min %d ms, max %d ms over %d runs%n",
        median(startMillis), min(startMillis), max(startMillis), runs);
    rssKib.forEach(
        (name, values) ->
            System.out.printf("  %-24s median RSS %4d MiB%n", name, median(values) / 1024));
    System.out.printf("  %-24s median RSS %4d MiB%n", "all", median(totalKib) / 1024);
  }

  private static void coldBuild() throws IOException {
    Path cache = Files.createTempDirectory("tagflow-bench-cache");
    Path goCache = Files.createTempDirectory("tagflow-bench-gocache");
    Map<String, String> environment = new HashMap<>(System.getenv());
    // An empty Go build cache makes every package compile again; the module cache stays, so the
    // figure leaves out download time (which depends on the network, not on us).
    environment.put("GOCACHE", goCache.toString());
    long started = System.nanoTime();
    new ControlPlaneBuild(cache, ControlPlaneVersions.defaults(), environment, System.out::println)
        .ensureBuilt();
    System.out.printf(
        "cold build: %d s (cache %s, GOCACHE %s; delete them afterwards)%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), cache, goCache);
  }

  private static long residentKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long min(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
