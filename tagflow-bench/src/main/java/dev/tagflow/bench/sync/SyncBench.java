package dev.tagflow.bench.sync;

import static dev.tagflow.bench.Figures.heapMiB;
import static dev.tagflow.bench.Figures.median;

import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.LiveStateCache;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.DesiredObject;
import dev.tagflow.diff.DiffOptions;
import dev.tagflow.diff.Differ;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.health.HealthRegistry;
import dev.tagflow.inventory.InventoryStore;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.sync.SyncEngine;
import dev.tagflow.sync.SyncOperation;
import dev.tagflow.sync.SyncOptions;
import dev.tagflow.sync.SyncRequest;
import dev.tagflow.sync.SyncState;
import dev.tagflow.sync.SyncStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bench command for the sync engine on the testkit's local cluster: {@code app [objects] [runs]}
 * syncs one application (first apply, then no-op syncs); {@code change [objects] [changed] [runs]}
 * syncs one application again and again, each time with {@code changed} of its objects changed;
 * {@code fleet [apps] [objects]} compares many applications with the cluster from the live-state
 * cache, cold and in steady state. All count the API requests sent. The method is written down in
 * BENCHMARKS.md.
 */
public final class SyncBench {

  private final ObjectJson json = new ObjectJson();

  private SyncBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "app";
    Path state = Files.createTempDirectory("tagflow-bench-sync");
    try (LocalCluster cluster =
            LocalCluster.start(ClusterOptions.defaults("bench-sync", state, true), line -> {});
        ClusterConnections connections = new ClusterConnections(cluster.kubeconfig())) {
      ClusterGateway gateway = connections.connect(Optional.empty());
      SyncBench bench = new SyncBench();
      switch (mode) {
        case "app" ->
            bench.app(
                gateway,
                args.length > 1 ? Integer.parseInt(args[1]) : 50,
                args.length > 2 ? Integer.parseInt(args[2]) : 5);
        case "change" ->
            bench.change(
                gateway,
                args.length > 1 ? Integer.parseInt(args[1]) : 50,
                args.length > 2 ? Integer.parseInt(args[2]) : 10,
                args.length > 3 ? Integer.parseInt(args[3]) : 5,
                args.length > 4 ? Integer.parseInt(args[4]) : Differ.DEFAULT_PARALLELISM);
        case "fleet" ->
            bench.fleet(
                gateway,
                args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                args.length > 2 ? Integer.parseInt(args[2]) : 20);
        default -> {
          System.err.println(
              "usage: SyncBench app [objects] [runs] | change [objects] [changed] [runs] [parallelism]"
                  + " | fleet [apps] [objects]");
          System.exit(2);
        }
      }
    }
  }

  /** One application: a first sync that creates everything, then no-op syncs. */
  private void app(ClusterGateway cluster, int objects, int runs) throws Exception {
    List<GenericKubernetesResource> desired = application(objects);
    List<Long> noOpMillis = new ArrayList<>();
    List<Long> noOpRequests = new ArrayList<>();
    for (int run = 0; run <= runs; run++) {
      long requests = cluster.requests().total();
      long started = System.nanoTime();
      // A fresh engine per sync, live objects from the API server: no memory of earlier
      // comparisons, so every object is dry-run, as after a restart.
      SyncState end =
          sync(SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()), "bench-app", desired);
      long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
      long sent = cluster.requests().total() - requests;
      if (run == 0) {
        System.out.printf(
            "first sync of %d objects: %d ms, %d API requests, %s%n",
            objects, millis, sent, end.message());
      } else {
        noOpMillis.add(millis);
        noOpRequests.add(sent);
        System.out.printf(
            "no-op sync %d: %d ms, %d API requests, %s%n", run, millis, sent, end.message());
      }
    }
    System.out.printf(
        "no-op sync: median %d ms, median %d API requests over %d runs; heap used %d MiB%n",
        median(noOpMillis), median(noOpRequests), runs, heapMiB());
    System.out.println("requests by method: " + cluster.requests().byMethod());
    try (LiveStateCache cache = new LiveStateCache(cluster)) {
      cache.watch(
          desired.stream()
              .map(o -> cluster.discovery().require(o.getApiVersion(), o.getKind()))
              .distinct()
              .toList());
      List<Long> cachedMillis = new ArrayList<>();
      List<Long> cachedRequests = new ArrayList<>();
      // One engine for all syncs, as a controller keeps it: its differ remembers comparisons.
      SyncEngine cached = SyncEngine.of(cluster, cache, HealthRegistry.builtIn());
      for (int run = 1; run <= runs; run++) {
        long requests = cluster.requests().total();
        long started = System.nanoTime();
        SyncState end = sync(cached, "bench-app", desired);
        cachedMillis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
        cachedRequests.add(cluster.requests().total() - requests);
        System.out.printf(
            "no-op sync %d with the live cache: %d ms, %d API requests, %s%n",
            run, cachedMillis.getLast(), cachedRequests.getLast(), end.message());
      }
      System.out.printf(
          "no-op sync with the live cache: median %d ms, median %d API requests; heap used %d"
              + " MiB%n",
          median(cachedMillis), median(cachedRequests), heapMiB());
    }
  }

  /**
   * One application synced again and again, each sync changing {@code changed} of its objects (an
   * annotation on each, so no Deployment rolls out and the time is the engine's, not the simulated
   * nodes'): first with one engine kept for all syncs and live objects from the cache (a
   * controller's steady state), then with a fresh engine per sync reading from the API server (the
   * first sync after a restart).
   */
  private void change(ClusterGateway cluster, int objects, int changed, int runs, int parallelism)
      throws Exception {
    System.out.printf("dry-runs of a wave: at most %d at a time%n", parallelism);
    String app = "bench-change";
    SyncState first =
        sync(
            SyncEngine.of(cluster, cluster, HealthRegistry.builtIn()),
            app,
            changed(objects, 0, changed));
    System.out.printf("first sync of %d objects: %s%n", objects, first.message());
    try (LiveStateCache cache = new LiveStateCache(cluster)) {
      List<GenericKubernetesResource> desired = changed(objects, 0, changed);
      cache.watch(
          desired.stream()
              .map(o -> cluster.discovery().require(o.getApiVersion(), o.getKind()))
              .distinct()
              .toList());
      SyncEngine kept = engine(cluster, cache, parallelism);
      // The kept engine's first sync pays one dry-run per object (its memory is empty): not
      // counted.
      awaitCache(cache, app, desired);
      System.out.printf(
          "warm-up sync with the live cache: %s%n", sync(kept, app, desired).message());
      List<Long> millis = new ArrayList<>();
      List<Long> requests = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        // The cache must have seen the last sync's applies, or unchanged objects look changed.
        awaitCache(cache, app, desired);
        desired = changed(objects, run, changed);
        List<GenericKubernetesResource> next = desired;
        Measured measured = measure(cluster, () -> sync(kept, app, next));
        millis.add(measured.millis());
        requests.add(measured.requests());
        System.out.printf(
            "sync %d changing %d of %d, kept engine, live cache: %s%n",
            run, changed, objects, measured);
      }
      System.out.printf(
          "sync changing %d of %d, kept engine, live cache: median %d ms, median %d API requests"
              + " over %d runs%n",
          changed, objects, median(millis), median(requests), runs);
      millis.clear();
      requests.clear();
      for (int run = runs + 1; run <= 2 * runs; run++) {
        int current = run;
        Measured measured =
            measure(
                cluster,
                () ->
                    sync(
                        engine(cluster, cluster, parallelism),
                        app,
                        changed(objects, current, changed)));
        millis.add(measured.millis());
        requests.add(measured.requests());
        System.out.printf(
            "sync %d changing %d of %d, fresh engine, live from the API server: %s%n",
            run - runs, changed, objects, measured);
      }
      System.out.printf(
          "sync changing %d of %d, fresh engine, live from the API server: median %d ms, median"
              + " %d API requests over %d runs%n",
          changed, objects, median(millis), median(requests), runs);
    }
  }

  /**
   * An engine as {@link SyncEngine#of} builds it, its differ sending that many dry-runs at once.
   */
  private static SyncEngine engine(ClusterGateway cluster, LiveLookup live, int parallelism) {
    return new SyncEngine(
        cluster,
        live,
        new InventoryStore(cluster, InventoryStore.DEFAULT_NAMESPACE),
        HealthRegistry.builtIn(),
        new Differ(cluster, live, parallelism),
        Clock.systemUTC());
  }

  /** What one sync cost: its time, its requests, and those by method. */
  private record Measured(long millis, long requests, Map<String, Long> byMethod, String end) {
    @Override
    public String toString() {
      return millis + " ms, " + requests + " API requests " + byMethod + ", " + end;
    }
  }

  @FunctionalInterface
  private interface SyncRun {
    SyncState run() throws Exception;
  }

  private static Measured measure(ClusterGateway cluster, SyncRun sync) throws Exception {
    Map<String, Long> before = cluster.requests().byMethod();
    long started = System.nanoTime();
    SyncState end = sync.run();
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    Map<String, Long> sent = new TreeMap<>();
    cluster
        .requests()
        .byMethod()
        .forEach(
            (method, count) -> {
              long delta = count - before.getOrDefault(method, 0L);
              if (delta > 0) {
                sent.put(method, delta);
              }
            });
    long total = sent.values().stream().mapToLong(Long::longValue).sum();
    if (end.status() != SyncStatus.SUCCEEDED) {
      throw new IllegalStateException("the measured sync did not succeed: " + end.message());
    }
    return new Measured(millis, total, sent, end.message());
  }

  /** Waits (polling the cache, which sends no request) until it holds what was last applied. */
  private static void awaitCache(
      LiveStateCache cache, String namespace, List<GenericKubernetesResource> desired)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (GenericKubernetesResource object : desired) {
      ObjectRef ref = ObjectRef.of(object).inNamespace(namespace);
      String wanted = object.getMetadata().getAnnotations().get(RUN_ANNOTATION);
      while (!cache
          .live(ref)
          .map(live -> live.getMetadata().getAnnotations())
          .map(annotations -> Objects.equals(annotations.get(RUN_ANNOTATION), wanted))
          .orElse(false)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cache did not catch up with " + ref);
        }
        Thread.sleep(10);
      }
    }
  }

  private static final String RUN_ANNOTATION = "bench.tagflow.dev/run";

  /** The application's objects, the first {@code changed} of them annotated with the run. */
  private List<GenericKubernetesResource> changed(int objects, int run, int changed) {
    List<GenericKubernetesResource> desired = application(objects);
    for (int i = 0; i < desired.size(); i++) {
      var metadata = desired.get(i).getMetadata();
      Map<String, String> annotations = new TreeMap<>();
      if (metadata.getAnnotations() != null) {
        annotations.putAll(metadata.getAnnotations());
      }
      annotations.put(RUN_ANNOTATION, i < changed ? String.valueOf(run) : "0");
      metadata.setAnnotations(annotations);
    }
    return desired;
  }

  /** Many applications compared from the live cache, first cold (dry-runs) then steady. */
  private void fleet(ClusterGateway cluster, int apps, int objects) throws Exception {
    ApiResource configMaps = cluster.discovery().require("v1", "ConfigMap");
    int namespaces = Math.max(1, apps / 50);
    DesiredObject prepare = new DesiredObject(json);
    List<List<GenericKubernetesResource>> fleet = new ArrayList<>();
    for (int app = 0; app < apps; app++) {
      fleet.add(fleetApp(app, objects));
    }
    for (int n = 0; n < namespaces; n++) {
      cluster.apply(namespace("fleet-" + n), ApplyCall.forced("tagflow"));
    }
    long started = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> created = new ArrayList<>();
      for (int app = 0; app < apps; app++) {
        String name = "app-" + app;
        String namespace = "fleet-" + (app % namespaces);
        for (GenericKubernetesResource object : fleet.get(app)) {
          created.add(
              pool.submit(
                  () ->
                      cluster.apply(
                          prepare.prepare(object, configMaps, name, namespace),
                          ApplyCall.forced("tagflow"))));
        }
      }
      for (Future<?> f : created) {
        f.get();
      }
    }
    System.out.printf(
        "created %d objects (%d apps x %d) in %d s%n",
        apps * objects, apps, objects, Duration.ofNanos(System.nanoTime() - started).toSeconds());

    try (LiveStateCache cache = new LiveStateCache(cluster)) {
      long before = cluster.requests().total();
      started = System.nanoTime();
      cache.watch(List.of(configMaps));
      System.out.printf(
          "live cache filled: %d objects in %d ms, %d API requests%n",
          cache.size(),
          Duration.ofNanos(System.nanoTime() - started).toMillis(),
          cluster.requests().total() - before);
      Differ differ = new Differ(cluster, cache);
      for (int pass = 1; pass <= 4; pass++) {
        before = cluster.requests().total();
        long dryRuns = differ.dryRunCount();
        started = System.nanoTime();
        int inSync = compareAll(differ, fleet, namespaces);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf(
            "pass %d (%s): %d apps x %d objects in %d ms, %d in sync, %d dry-runs,"
                + " %d API requests; heap used %d MiB%n",
            pass,
            pass == 1 ? "cold" : "steady",
            apps,
            objects,
            millis,
            inSync,
            differ.dryRunCount() - dryRuns,
            cluster.requests().total() - before,
            heapMiB());
      }
    }
  }

  private int compareAll(Differ differ, List<List<GenericKubernetesResource>> fleet, int namespaces)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Long>> counts = new ArrayList<>();
      for (int app = 0; app < fleet.size(); app++) {
        List<GenericKubernetesResource> objects = fleet.get(app);
        DiffOptions options = DiffOptions.defaults("app-" + app, "fleet-" + (app % namespaces));
        counts.add(
            pool.submit(
                () ->
                    differ.diff(objects, List.of(), options).stream()
                        .filter(d -> d instanceof ResourceDiff.InSync)
                        .count()));
      }
      int total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      return total;
    }
  }

  private SyncState sync(SyncEngine engine, String app, List<GenericKubernetesResource> desired)
      throws InterruptedException {
    SyncOperation operation =
        new SyncOperation(
            engine,
            new SyncRequest(
                app,
                "bench",
                app,
                desired,
                SyncOptions.defaults().withPrune(true).withCreateNamespace(true)),
            SyncState.start(app, "bench"));
    return operation.run(Duration.ofMillis(200));
  }

  /** ConfigMaps, Secrets, Services and Deployments in a 2:1:1:1 mix. */
  private List<GenericKubernetesResource> application(int objects) {
    List<GenericKubernetesResource> desired = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      String yaml =
          switch (i % 5) {
            case 0, 1 ->
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings-%1$d}
                data: {colour: blue, size: large, index: "%1$d"}
                """;
            case 2 ->
                """
                apiVersion: v1
                kind: Secret
                metadata: {name: secret-%1$d}
                stringData: {password: not-a-real-one-%1$d}
                """;
            case 3 ->
                """
                apiVersion: v1
                kind: Service
                metadata: {name: svc-%1$d}
                spec:
                  selector: {app: web-%1$d}
                  ports: [{port: 80, targetPort: 8080}]
                """;
            default ->
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web-%1$d}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web-%1$d}}
                  template:
                    metadata: {labels: {app: web-%1$d}}
                    spec:
                      containers: [{name: main, image: example.invalid/web:1.0.0}]
                """;
          };
      desired.addAll(json.readYaml(yaml.formatted(i)));
    }
    return desired;
  }

  private List<GenericKubernetesResource> fleetApp(int app, int objects) {
    List<GenericKubernetesResource> desired = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      desired.addAll(
          json.readYaml(
              """
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: app-%1$d-%2$d}
              data: {app: "%1$d", index: "%2$d", colour: blue}
              """
                  .formatted(app, i)));
    }
    return desired;
  }

  private static GenericKubernetesResource namespace(String name) {
    GenericKubernetesResource ns = new GenericKubernetesResource();
    ns.setApiVersion("v1");
    ns.setKind("Namespace");
    ns.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    return ns;
  }
}
