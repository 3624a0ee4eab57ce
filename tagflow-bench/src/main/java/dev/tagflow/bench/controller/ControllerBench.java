package dev.tagflow.bench.controller;

import static dev.tagflow.bench.Figures.heapMiB;
import static dev.tagflow.bench.Figures.median;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.health.Health;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.ReconcilerOptions;
import dev.tagflow.server.ControllerService;
import dev.tagflow.source.GitPoller;
import dev.tagflow.source.RefTracker;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.store.DatabaseUrl;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Bench command for the controller ({@code tagflow server}'s {@link ControllerService}) on the
 * testkit's local cluster: {@code [apps] [objects] [cycles] [edits]} registers that many
 * applications of that many ConfigMaps each from a directory of Application files over one Git
 * repository, waits until all are Synced and Healthy, then measures (a) full resync cycles in
 * steady state, (b) one commit changing 100 applications, (c) a restart in steady state, (d) hand
 * edits healed by selfHeal. The method is written down in BENCHMARKS.md.
 */
public final class ControllerBench {

  private static final Duration LIMIT =
      Duration.ofSeconds(Long.getLong("bench.limitSeconds", 1800));

  /** How long a resync cycle is waited for before its laggards are reported. */
  private static final Duration CYCLE_LIMIT = Duration.ofSeconds(60);

  private final Path state;
  private final LocalCluster cluster;
  private final KubernetesClient client;
  private final GitWorkTree repo;
  private final int apps;
  private final int objects;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RemoteAccess remotes = RemoteAccess.anonymous(meters);
  private final RepoCache repos;
  private final GitPoller poller;

  /** The running controller, which the poller's ref changes go to. */
  private final AtomicReference<ControllerService> current = new AtomicReference<>();

  private ControllerBench(Path state, LocalCluster cluster, int apps, int objects) {
    this.state = state;
    this.cluster = cluster;
    this.client = cluster.newClient();
    this.repo = GitWorkTree.init(state.resolve("env"));
    this.apps = apps;
    this.objects = objects;
    this.repos = new RepoCache(state.resolve("repos"), remotes, meters, Clock.systemUTC());
    this.poller =
        new GitPoller(
            new RefTracker(remotes, meters, Clock.systemUTC()),
            repos,
            new GitPoller.Options(Duration.ofHours(1), 0.1),
            RandomGenerator.getDefault());
    poller.start(change -> current.get().listener().accept(change));
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int objects = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int edits = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Path state = Files.createTempDirectory("tagflow-bench-controller");
    try (LocalCluster cluster =
        LocalCluster.start(ClusterOptions.defaults("bench-controller", state, true), line -> {})) {
      new ControllerBench(state, cluster, apps, objects).run(cycles, edits);
    } finally {
      // The cluster's etcd, the repository and the store: tens of MiB per run, left to no one.
      DirectoryRemoval.tryDelete(state);
    }
  }

  private void run(int cycles, int edits) throws Exception {
    System.out.printf(
        "controller bench: %d applications x %d ConfigMaps, %d cores, load average %.2f%n",
        apps, objects, Runtime.getRuntime().availableProcessors(), loadAverage());
    writeApplications();
    ControllerService controller = start();
    try {
      Instant begun = Instant.now();
      String first = head();
      awaitAll(controller, s -> readyAt(s, first), "all Synced and Healthy");
      System.out.printf(
          "setup: first sync of %d objects in %d s; %s%n",
          apps * objects, Duration.between(begun, Instant.now()).toSeconds(), requests(controller));

      resyncCycles(controller, cycles);
      commitChanging(controller, Math.min(100, apps));
      controller = restart(controller);
      handEdits(controller, edits);
    } finally {
      controller.close();
      poller.close();
      repos.close();
      remotes.close();
      client.close();
    }
  }

  /** (a) Every application reconciled at once, as a periodic resync does; repeated. */
  private void resyncCycles(ControllerService controller, int cycles) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int cycle = 1; cycle <= cycles; cycle++) {
      Map<String, Long> before = controller.requests().byMethod();
      Instant started = aMillisecondAgo();
      long reconciled = reconciles();
      long t0 = System.nanoTime();
      for (int app = 0; app < apps; app++) {
        controller.reconciler().refresh(name(app));
      }
      Predicate<ApplicationStatus> reconciledNow =
          s -> s.isSynced() && s.reconciledAt().map(at -> at.isAfter(started)).orElse(false);
      long left = awaitAll(controller, reconciledNow, CYCLE_LIMIT);
      millis.add(Duration.ofNanos(System.nanoTime() - t0).toMillis());
      if (left > 0) {
        // Reported, not waited for: the cycle's figure is then not a full cycle's.
        System.out.printf(
            "(a) resync cycle %d (begun %s): %d of %d applications not reconciled after %d s: %s%n",
            cycle,
            started,
            left,
            apps,
            CYCLE_LIMIT.toSeconds(),
            controller.statuses().list().stream()
                .filter(reconciledNow.negate())
                .map(s -> s.application() + " reconciled at " + s.reconciledAt().orElse(null))
                .toList());
      }
      System.out.printf(
          "(a) resync cycle %d: %d ms, %d reconciles, %s; heap used %d MiB%n",
          cycle,
          millis.getLast(),
          reconciles() - reconciled,
          sent(before, controller.requests().byMethod()),
          heapMiB());
    }
    System.out.printf(
        "(a) full resync of %d applications x %d objects: median %d ms over %d cycles%n",
        apps, objects, median(millis), cycles);
  }

  /** (b) One commit changes one object of {@code changed} applications. */
  private void commitChanging(ControllerService controller, int changed) throws Exception {
    for (int app = 0; app < changed; app++) {
      repo.write(path(app, 0), configMap(app, 0, "changed"));
    }
    repo.commit("change " + changed + " applications");
    String commit = head();
    Map<String, Long> before = controller.requests().byMethod();
    long t0 = System.nanoTime();
    poller.poll(repo.url()); // what a webhook or the poll interval does
    awaitAll(controller, s -> readyAt(s, commit), "all Synced and Healthy at the new commit");
    System.out.printf(
        "(b) one commit changing %d applications: all Synced and Healthy after %d ms, %s%n",
        changed,
        Duration.ofNanos(System.nanoTime() - t0).toMillis(),
        sent(before, controller.requests().byMethod()));
  }

  /** (c) A new controller over the same data directory, in steady state. */
  private ControllerService restart(ControllerService running) throws Exception {
    running.close();
    Instant stopped = aMillisecondAgo();
    long t0 = System.nanoTime();
    ControllerService controller = start();
    awaitAll(
        controller,
        s -> s.isSynced() && s.reconciledAt().map(at -> at.isAfter(stopped)).orElse(false),
        "all Synced again after the restart");
    Map<String, Long> sent = controller.requests().byMethod();
    System.out.printf(
        "(c) restart in steady state: all %d Synced again after %d ms, %d dry-runs, %s%n",
        apps,
        Duration.ofNanos(System.nanoTime() - t0).toMillis(),
        sent.getOrDefault("DRY-RUN", 0L),
        sent);
    return controller;
  }

  /** (d) A hand edit of an owned object, until selfHeal put Git's value back. */
  private void handEdits(ControllerService controller, int edits) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int edit = 0; edit < edits; edit++) {
      int app = (edit * 7919) % apps;
      String namespace = namespace(app);
      String name = "app-" + app + "-cm-1";
      String wanted =
          client.configMaps().inNamespace(namespace).withName(name).get().getData().get("value");
      long t0 = System.nanoTime();
      client
          .configMaps()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              c -> {
                c.getData().put("value", "by-hand");
                return c;
              });
      long deadline = t0 + LIMIT.toNanos();
      while (!wanted.equals(
          client.configMaps().inNamespace(namespace).withName(name).get().getData().get("value"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " was not healed");
        }
        Thread.sleep(20);
      }
      millis.add(Duration.ofNanos(System.nanoTime() - t0).toMillis());
      System.out.printf(
          "(d) hand edit %d of %s healed after %d ms%n", edit + 1, name, millis.getLast());
    }
    System.out.printf(
        "(d) hand edit to healed (grace 5 s): median %d ms over %d edits%n", median(millis), edits);
  }

  private ControllerService start() throws IOException {
    Path data = Files.createDirectories(state.resolve("data"));
    ControllerService controller =
        new ControllerService(
            new ControllerService.Settings(
                data,
                DatabaseUrl.inDataDir(data),
                cluster.kubeconfig(),
                Optional.of(state.resolve("apps")),
                Optional.empty(),
                // Only the bench's own cycles: no periodic resync during a measurement.
                ReconcilerOptions.defaults()
                    .withResyncInterval(Duration.ofHours(6))
                    .withSelfHealGrace(Duration.ofSeconds(5))),
            repos,
            meters);
    current.set(controller);
    controller.start();
    poller.poll(repo.url()); // the first poll sets the baseline later commits are compared with
    return controller;
  }

  private void writeApplications() throws Exception {
    Path dir = Files.createDirectories(state.resolve("apps"));
    for (int n = 0; n <= (apps - 1) / 50; n++) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("bench-" + n).endMetadata().build())
          .serverSideApply();
    }
    for (int app = 0; app < apps; app++) {
      for (int object = 0; object < objects; object++) {
        repo.write(path(app, object), configMap(app, object, "one"));
      }
      Files.writeString(
          dir.resolve(name(app) + ".yaml"),
          """
          apiVersion: tagflow.dev/v1alpha1
          kind: Application
          metadata: {name: %s}
          spec:
            source: {repoURL: "%s", targetRevision: main, path: apps/%s}
            destination: {cluster: local, namespace: %s}
            syncPolicy: {automated: {prune: true, selfHeal: true}}
          """
              .formatted(name(app), repo.url(), name(app), namespace(app)));
    }
    repo.commit(apps + " applications");
  }

  private static String path(int app, int object) {
    return "apps/" + name(app) + "/cm-" + object + ".yaml";
  }

  private static String configMap(int app, int object, String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-%d-cm-%d}
        data: {value: "%s", colour: blue}
        """
        .formatted(app, object, value);
  }

  private static String name(int app) {
    return "app-" + app;
  }

  private static String namespace(int app) {
    return "bench-" + (app / 50);
  }

  private String head() {
    return repo.git("rev-parse", "HEAD").strip();
  }

  private static boolean readyAt(ApplicationStatus status, String commit) {
    return status.isReady()
        && status.health().health() == Health.HEALTHY
        && status.sync().revision().map(r -> r.commit().equals(commit)).orElse(false);
  }

  /**
   * Waits until every application passes, or the limit passed.
   *
   * @return how many do not pass
   */
  private long awaitAll(
      ControllerService controller, Predicate<ApplicationStatus> done, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      List<ApplicationStatus> all = controller.statuses().list();
      long count = all.stream().filter(done).count();
      if ((all.size() == apps && count == apps) || System.nanoTime() > deadline) {
        return apps - count;
      }
      Thread.sleep(50);
    }
  }

  private void awaitAll(
      ControllerService controller, Predicate<ApplicationStatus> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      List<ApplicationStatus> all = controller.statuses().list();
      long count = all.stream().filter(done).count();
      if (all.size() == apps && count == apps) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not "
                + what
                + " within "
                + LIMIT
                + ": "
                + count
                + " of "
                + apps
                + "; reconciles so far "
                + reconciles()
                + "; first of the others: "
                + all.stream().filter(done.negate()).findFirst().map(String::valueOf).orElse(""));
      }
      Thread.sleep(50);
    }
  }

  /**
   * Now, to the millisecond, once that millisecond has passed: statuses keep times to the
   * millisecond, so a reconcile that starts after this returns says a later time than it.
   */
  private static Instant aMillisecondAgo() throws InterruptedException {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Thread.sleep(2);
    return now;
  }

  /** Reconciles run so far. */
  private long reconciles() {
    return meters.find("tagflow.reconcile").timers().stream().mapToLong(t -> t.count()).sum();
  }

  private static String requests(ControllerService controller) {
    return "requests " + controller.requests().byMethod();
  }

  /** Requests sent between two counts, watches apart, with their total. */
  private static String sent(Map<String, Long> before, Map<String, Long> after) {
    StringBuilder methods = new StringBuilder();
    long total = 0;
    for (var entry : after.entrySet()) {
      long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
      if (delta > 0) {
        methods
            .append(methods.isEmpty() ? "" : ", ")
            .append(entry.getKey())
            .append(' ')
            .append(delta);
        if (!entry.getKey().equals("WATCH")) {
          total += delta;
        }
      }
    }
    return total + " API requests beyond watches {" + methods + "}";
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
