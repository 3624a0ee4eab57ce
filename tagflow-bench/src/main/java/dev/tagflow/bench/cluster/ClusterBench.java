package dev.tagflow.bench.cluster;

import static dev.tagflow.bench.Figures.median;

import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.ControlPlaneBuild;
import dev.tagflow.local.cluster.ControlPlaneVersions;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.cluster.SimulatedWorkloads;
import dev.tagflow.local.process.ComponentProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * running programs ({@code start N}), a cold build into an empty cache ({@code cold-build}), or how
 * soon a new Deployment's pods have metrics and its autoscaler is active ({@code metrics N}). The
 * method is written down in BENCHMARKS.md.
 */
public final class ClusterBench {

  private ClusterBench() {}

  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "start";
    switch (mode) {
      case "start" -> start(args.length > 1 ? Integer.parseInt(args[1]) : 5);
      case "cold-build" -> coldBuild();
      case "metrics" -> metrics(args.length > 1 ? Integer.parseInt(args[1]) : 5);
      default -> {
        System.err.println("usage: ClusterBench start [runs] | cold-build | metrics [runs]");
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

  /**
   * On one cluster, N times: a new namespace gets a Deployment of two pods (100m CPU requested) and
   * an autoscaler on CPU; timed from their creation until the metrics API has both pods, and until
   * the autoscaler reports ScalingActive.
   */
  private static void metrics(int runs) throws IOException {
    List<Long> metricsMillis = new ArrayList<>();
    List<Long> activeMillis = new ArrayList<>();
    Path state = Files.createTempDirectory("tagflow-bench-cluster");
    try (LocalCluster cluster =
            LocalCluster.start(ClusterOptions.defaults("bench", state, true), line -> {});
        KubernetesClient client = cluster.newClient()) {
      for (int run = 1; run <= runs; run++) {
        String namespace = "bench-metrics-" + run;
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
        Deployment web = SimulatedWorkloads.deployment(namespace, "web", Map.of(), 600);
        web.getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst()
            .setResources(
                new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity("100m"))
                    .build());
        long started = System.nanoTime();
        client.apps().deployments().inNamespace(namespace).resource(web).create();
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(namespace)
            .resource(autoscaler(namespace))
            .create();
        long metricsAt = 0;
        long activeAt = 0;
        while (metricsAt == 0 || activeAt == 0) {
          long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();
          if (elapsed > 180_000) {
            throw new IllegalStateException("no metrics or no active autoscaler after 180 s");
          }
          if (metricsAt == 0 && client.top().pods().metrics(namespace).getItems().size() == 2) {
            metricsAt = elapsed;
          }
          if (activeAt == 0 && scalingActive(client, namespace)) {
            activeAt = elapsed;
          }
          sleep(Duration.ofMillis(250));
        }
        metricsMillis.add(metricsAt);
        activeMillis.add(activeAt);
        System.out.printf(
            "run %d: pod metrics after %d ms, autoscaler ScalingActive after %d ms%n",
            run, metricsAt, activeAt);
      }
    }
    System.out.printf(
        "pod metrics: median %d ms (min %d, max %d); ScalingActive: median %d ms (min %d, max %d)"
            + " over %d runs%n",
        median(metricsMillis),
        min(metricsMillis),
        max(metricsMillis),
        median(activeMillis),
        min(activeMillis),
        max(activeMillis),
        runs);
  }

  private static HorizontalPodAutoscaler autoscaler(String namespace) {
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName("web")
        .endScaleTargetRef()
        .withMinReplicas(2)
        .withMaxReplicas(4)
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(70)
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }

  private static boolean scalingActive(KubernetesClient client, String namespace) {
    HorizontalPodAutoscaler hpa =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(namespace)
            .withName("web")
            .get();
    return hpa != null
        && hpa.getStatus() != null
        && hpa.getStatus().getConditions() != null
        && hpa.getStatus().getConditions().stream()
            .anyMatch(c -> "ScalingActive".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static long residentKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private static long min(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
