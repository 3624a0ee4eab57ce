package dev.tagflow.bench.flux;

import dev.tagflow.NodeText;
import dev.tagflow.bench.server.TagflowServerProcess;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.git.HostedRepositories;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Bench command: Tagflow and Flux deliver the same fleet, one after the other in one run, each on a
 * fresh local cluster. {@code [apps=100] [objects=10] [steadySeconds=300] [sameConcurrency=8]}: for
 * each tool (a) all applications created until all Ready/Healthy, (b) one commit changing all until
 * all Ready/Healthy at it, (c) steady state: CPU seconds, API requests, RSS, (d) Tagflow only: a
 * restart in steady state. First both as shipped, then (if {@code sameConcurrency} > 0) both
 * reconciling that many applications at once. Before them, the cluster alone: the fleet applied
 * straight, what (a) and (b) take with no tool between. The method is in BENCHMARKS.md.
 */
public final class SideBySide {

  private static final Duration LIMIT =
      Duration.ofSeconds(Long.getLong("bench.limitSeconds", 1200));
  private static final String TOKEN = "bench-git-token";
  private static final ResourceDefinitionContext KUSTOMIZATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("kustomize.toolkit.fluxcd.io")
          .withVersion("v1")
          .withPlural("kustomizations")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext GIT_REPOSITORIES =
      new ResourceDefinitionContext.Builder()
          .withGroup("source.toolkit.fluxcd.io")
          .withVersion("v1")
          .withPlural("gitrepositories")
          .withNamespaced(true)
          .build();

  private final Fleet fleet;
  private final Duration steady;
  private final FluxBuild flux;
  private final Path temp;

  private final FigureTable figures = new FigureTable();

  private SideBySide(Fleet fleet, Duration steady, FluxBuild flux, Path temp) {
    this.fleet = fleet;
    this.steady = steady;
    this.flux = flux;
    this.temp = temp;
  }

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int objects = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int steadySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int same = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    FluxBuild build =
        new FluxBuild(
            ClusterOptions.defaultCacheRoot(System.getenv()), System.getenv(), System.out::println);
    // -Dbench.tools=tagflow (or flux, or cluster) runs one turn only, when looking into one of
    // them.
    String tools = System.getProperty("bench.tools", "cluster,flux,tagflow");
    if (tools.contains("flux")) {
      build.ensureBuilt();
    }
    Path temp = Files.createTempDirectory("tagflow-bench-flux");
    try {
      SideBySide bench =
          new SideBySide(new Fleet(apps, objects), Duration.ofSeconds(steadySeconds), build, temp);
      System.out.printf(
          "side by side: %d applications x %d objects, steady state %d s, %d cores, load %.2f;"
              + " Flux %s, Tagflow from %s; kube-controller-manager QPS %s%n",
          apps,
          objects,
          steadySeconds,
          Runtime.getRuntime().availableProcessors(),
          StepMeasure.load(),
          FluxBuild.VERSION,
          TagflowServerProcess.source(),
          Integer.getInteger("bench.kcm.qps", 0) > 0
              ? Integer.getInteger("bench.kcm.qps")
              : "20 (its default)");
      // The cluster alone first: the floor under both tools' (a) and (b).
      if (tools.contains("cluster")) {
        bench.clusterAlone("cluster alone");
      }
      for (int concurrency : same > 0 ? List.of(0, same) : List.of(0)) {
        String setting = concurrency == 0 ? "defaults" : "concurrency " + concurrency;
        if (tools.contains("flux")) {
          bench.flux("flux " + setting, concurrency);
        }
        if (tools.contains("tagflow")) {
          bench.tagflow("tagflow " + setting, concurrency);
        }
      }
      bench.figures.print();
    } finally {
      // -Dbench.keep=true keeps the turns' logs and data for a look afterwards.
      if (Boolean.getBoolean("bench.keep")) {
        System.out.println("kept " + temp);
        return;
      }
      try (Stream<Path> files = Files.walk(temp)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** One tool's turn: a fresh cluster, its account, the fleet's repository on a Git server. */
  private record Turn(
      String label,
      Path dir,
      LocalCluster cluster,
      KubernetesClient client,
      Kubectl admin,
      ToolAccount account,
      GitWorkTree tree,
      Path gitData,
      int port)
      implements AutoCloseable {

    String repoUrl() {
      return "http://127.0.0.1:" + port + "/git/fleet.git";
    }

    String pushUrl() {
      return "http://bench:" + TOKEN + "@127.0.0.1:" + port + "/git/fleet.git";
    }

    @Override
    public void close() {
      client.close();
      cluster.close();
    }
  }

  private Turn turn(String label, String tool) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(label.replace(' ', '-')));
    System.out.printf("== %s: starting a fresh cluster%n", label);
    // -Dbench.kcm.qps=N raises kube-controller-manager's request rate (its default is 20), to see
    // how much of (a) and (b) is the cluster's own rollouts; the figures of BENCHMARKS.md keep it.
    LocalCluster cluster =
        LocalCluster.start(
            ClusterOptions.defaults("side-" + tool, dir.resolve("cluster"), true)
                .withNodes(fleet.nodes())
                .withControllerManagerQps(Integer.getInteger("bench.kcm.qps", 0)),
            line -> {});
    KubernetesClient client = cluster.newClient();
    Kubectl admin = new Kubectl(cluster.binaries().kubectl(), cluster.kubeconfig());
    for (int n = 0; n < fleet.namespaces(); n++) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("fleet-" + n).endMetadata().build())
          .serverSideApply();
    }
    ToolAccount account = ToolAccount.create(admin, tool, dir);
    // The repository is made on disk before the server starts, and its first release pushed there.
    Path gitData = Files.createDirectories(dir.resolve("git-data"));
    Path bare = new HostedRepositories(gitData.resolve("git")).create("fleet").directory();
    GitWorkTree tree = GitWorkTree.init(dir.resolve("work"));
    fleet.write(tree, 1);
    tree.commit("release 1 of " + fleet.apps() + " applications");
    tree.git("push", "-q", bare.toString(), "main");
    Files.writeString(dir.resolve("tokens"), TOKEN + "\n");
    return new Turn(label, dir, cluster, client, admin, account, tree, gitData, freePort());
  }

  private void flux(String label, int concurrency) throws Exception {
    try (Turn turn = turn(label, "flux");
        TagflowServerProcess git =
            TagflowServerProcess.start(
                turn.gitData(),
                List.of(
                    "--port",
                    Integer.toString(turn.port()),
                    "--git-token-file",
                    turn.dir().resolve("tokens").toString(),
                    "--kubeconfig",
                    turn.dir().resolve("no-cluster").toString()),
                "git-server");
        FluxControllers controllers =
            FluxControllers.start(
                flux, turn.admin(), turn.account(), turn.dir().resolve("flux"), concurrency)) {
      StepMeasure measure = new StepMeasure(turn.account(), turn.admin(), controllers.pids());
      turn.admin()
          .run("apply", "-f", write(turn, "source.yaml", Fleet.fluxSource(turn.repoUrl(), TOKEN)));
      String first = turn.tree().head();
      awaitUntil(
          "the GitRepository Ready",
          () -> {
            controllers.requireAlive();
            GenericKubernetesResource repo =
                turn.client()
                    .genericKubernetesResources(GIT_REPOSITORIES)
                    .inNamespace(FluxControllers.NAMESPACE)
                    .withName("fleet")
                    .get();
            return repo != null && isReady(repo) && revision(repo, "artifact").contains(first);
          });

      measure.begin();
      turn.admin()
          .run("apply", "-f", write(turn, "kustomizations.yaml", fleet.fluxKustomizations()));
      if (!step(
          label,
          "(a) create all → all Ready",
          measure,
          () -> {
            controllers.requireAlive();
            return fluxReady(turn, first);
          })) {
        return;
      }

      String second = release(turn);
      measure.begin();
      turn.tree().git("push", "-q", turn.pushUrl(), "main");
      // What Flux's webhook Receiver does on a push: ask the source to reconcile now.
      turn.admin()
          .run(
              "annotate",
              "--overwrite",
              "-n",
              FluxControllers.NAMESPACE,
              "gitrepository/fleet",
              "reconcile.fluxcd.io/requestedAt=" + Instant.now());
      if (!step(
          label,
          "(b) one commit changing all → all Ready",
          measure,
          () -> {
            controllers.requireAlive();
            return fluxReady(turn, second);
          })) {
        return;
      }

      steadyState(label, measure, controllers::requireAlive);
    }
  }

  private void tagflow(String label, int concurrency) throws Exception {
    try (Turn turn = turn(label, "tagflow")) {
      Path apps = Files.createDirectories(turn.dir().resolve("apps"));
      List<String> arguments =
          new ArrayList<>(
              List.of(
                  "--git-token-file", turn.dir().resolve("tokens").toString(),
                  "--apps", apps.toString(),
                  "--kubeconfig", turn.account().kubeconfig().toString()));
      if (concurrency > 0) {
        String config =
            write(turn, "tagflow.yaml", "reconcile: {concurrency: " + concurrency + "}\n");
        arguments.addAll(List.of("--config", config));
      }
      TagflowServerProcess server =
          TagflowServerProcess.start(turn.gitData(), withPort(arguments, turn.port()), "tagflow");
      try {
        StepMeasure measure = new StepMeasure(turn.account(), turn.admin(), List.of(server.pid()));
        // Written aside, then moved in one by one: the controller never reads half a file.
        Path staged = Files.createDirectories(turn.dir().resolve("apps-staged"));
        for (int app = 0; app < fleet.apps(); app++) {
          Files.writeString(
              staged.resolve(Fleet.name(app) + ".yaml"),
              fleet.tagflowApplication(app, turn.repoUrl()));
        }
        String first = turn.tree().head();
        measure.begin();
        for (int app = 0; app < fleet.apps(); app++) {
          String file = Fleet.name(app) + ".yaml";
          Files.move(staged.resolve(file), apps.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        }
        TagflowServerProcess running = server;
        if (!step(
            label,
            "(a) create all → all Ready",
            measure,
            () -> tagflowReady(running, first, Instant.EPOCH))) {
          return;
        }

        String second = release(turn);
        measure.begin();
        // A push to Tagflow's own Git server is its event: no webhook, no poll.
        turn.tree().git("push", "-q", turn.pushUrl(), "main");
        if (!step(
            label,
            "(b) one commit changing all → all Ready",
            measure,
            () -> tagflowReady(running, second, Instant.EPOCH))) {
          return;
        }

        steadyState(label, measure, running::requireAlive);

        long requestsBefore = turn.account().requestsSent(turn.admin());
        server.close();
        Instant stopped = Instant.now();
        long restartedAt = System.nanoTime();
        server =
            TagflowServerProcess.start(turn.gitData(), withPort(arguments, turn.port()), "tagflow");
        TagflowServerProcess restarted = server;
        // A new process: its CPU counts from its start, the time and requests from the stop.
        StepMeasure after = new StepMeasure(turn.account(), turn.admin(), List.of(restarted.pid()));
        after.beginAt(restartedAt, requestsBefore);
        step(
            label,
            "(d) restart → all reconciled again",
            after,
            () -> tagflowReady(restarted, second, stopped));
      } finally {
        server.close();
      }
    }
  }

  /**
   * The cluster alone: the fleet's objects applied straight to the cluster, no tool between, eight
   * server-side applies at a time, then release 2 the same way. What (a) and (b) take here is what
   * the cluster's own controllers need to roll the fleet out: the floor under any tool's figures.
   */
  private void clusterAlone(String label) throws Exception {
    try (Turn turn = turn(label, "cluster");
        KubernetesClient account =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(turn.account().kubeconfig())))
                .build()) {
      StepMeasure measure = new StepMeasure(turn.account(), turn.admin(), List.of());
      for (int release = 1; release <= 2; release++) {
        measure.begin();
        applyAll(account, release);
        int wanted = release;
        if (!step(
            label,
            release == 1 ? "(a) create all → all Ready" : "(b) one commit changing all → all Ready",
            measure,
            () -> rolledOut(turn.client(), wanted))) {
          return;
        }
      }
    }
  }

  /** Every object of every application at that release, server-side applied, eight at a time. */
  private void applyAll(KubernetesClient account, int release) throws Exception {
    ExecutorService appliers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> applied = new ArrayList<>();
      for (int app = 0; app < fleet.apps(); app++) {
        String namespace = Fleet.namespace(app);
        for (String text : fleet.objects(app, release).values()) {
          applied.add(
              appliers.submit(
                  () ->
                      account
                          .resource(text)
                          .inNamespace(namespace)
                          .fieldManager("bench")
                          .forceConflicts()
                          .serverSideApply()));
        }
      }
      for (Future<?> one : applied) {
        one.get();
      }
    } finally {
      appliers.shutdownNow();
    }
  }

  /**
   * How many of the fleet's Deployments run release {@code release} everywhere: the controller saw
   * their spec, and their one replica is updated and available, with no old one left.
   */
  private static int rolledOut(KubernetesClient client, int release) {
    String image = ":" + Fleet.imageTag(release);
    return (int)
        client.apps().deployments().inAnyNamespace().list().getItems().stream()
            .filter(d -> d.getMetadata().getNamespace().startsWith("fleet-"))
            .filter(
                d ->
                    d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage()
                        .endsWith(image))
            .filter(
                d -> {
                  DeploymentStatus status = d.getStatus();
                  Integer one = 1;
                  return status != null
                      && status.getObservedGeneration() != null
                      && status.getObservedGeneration() >= d.getMetadata().getGeneration()
                      && one.equals(status.getReplicas())
                      && one.equals(status.getUpdatedReplicas())
                      && one.equals(status.getAvailableReplicas());
                })
            .count();
  }

  private void steadyState(String label, StepMeasure measure, Check alive) throws Exception {
    measure.begin();
    long deadline = System.nanoTime() + steady.toNanos();
    while (System.nanoTime() < deadline) {
      alive.check();
      Thread.sleep(1000);
    }
    figures.record(label, "(c) steady state " + steady.toSeconds() + " s", measure.end());
  }

  /** Writes release 2: every image tag and every ConfigMap changed, in one commit. */
  private String release(Turn turn) {
    fleet.write(turn.tree(), 2);
    turn.tree().commit("release 2 of every application");
    return turn.tree().head();
  }

  /** How many Kustomizations are Ready at that commit. */
  private int fluxReady(Turn turn, String commit) {
    return (int)
        turn
            .client()
            .genericKubernetesResources(KUSTOMIZATIONS)
            .inNamespace(FluxControllers.NAMESPACE)
            .list()
            .getItems()
            .stream()
            .filter(k -> isReady(k) && revision(k, "lastAppliedRevision").endsWith(commit))
            .count();
  }

  /** How many Applications are Synced and Healthy at that commit, reconciled after that time. */
  private int tagflowReady(TagflowServerProcess server, String commit, Instant reconciledAfter)
      throws IOException, InterruptedException {
    server.requireAlive();
    return (int)
        server.applications().stream()
            .filter(
                a ->
                    NodeText.of(a.path("sync")).equals("Synced")
                        && NodeText.of(a.path("health")).equals("Healthy")
                        && NodeText.of(a.path("revision")).equals(commit)
                        && Instant.parse(a.path("reconciledAt").asString(Instant.EPOCH.toString()))
                            .isAfter(reconciledAfter))
            .count();
  }

  @SuppressWarnings("unchecked")
  private static boolean isReady(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map)
        || !(map.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  /**
   * {@code status.lastAppliedRevision} of a Kustomization, {@code status.artifact.revision} of a
   * source.
   */
  private static String revision(GenericKubernetesResource resource, String field) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map)) {
      return "";
    }
    Object value = map.get(field);
    if (value instanceof Map<?, ?> artifact) {
      value = artifact.get("revision");
    }
    return value == null ? "" : value.toString();
  }

  @FunctionalInterface
  private interface Check {
    void check() throws Exception;
  }

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  private interface ReadyCount {
    int count() throws Exception;
  }

  /**
   * Waits until all the fleet's applications are ready, then records the step's figures. A step
   * that does not finish within {@link #LIMIT} is recorded as such, with how many were ready, and
   * ends its turn (the next step needs this one done): the run goes on with the next turn.
   *
   * @return whether all were ready in time
   */
  private boolean step(String label, String step, StepMeasure measure, ReadyCount ready)
      throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    Duration poll = pollEvery(fleet.apps());
    int count;
    while ((count = ready.count()) < fleet.apps()) {
      if (System.nanoTime() > deadline) {
        Map<String, String> partial = measure.end();
        partial.put("ready", count + " of " + fleet.apps());
        System.out.printf(
            "%s %s: NOT DONE within %d s: %d of %d ready%n",
            label, step, LIMIT.toSeconds(), count, fleet.apps());
        figures.record(label, step + " (not done)", partial);
        return false;
      }
      Thread.sleep(poll.toMillis());
    }
    figures.record(label, step, measure.end());
    return true;
  }

  /**
   * How often a step lists the fleet's state: every 250 ms, or 2 ms per application if longer. The
   * listing is load too: at 1,000 applications, four lists a second of every Kustomization kept two
   * thirds of a core of kube-apiserver busy on 2 cores, beside the tool being measured.
   */
  static Duration pollEvery(int apps) {
    return Duration.ofMillis(Math.max(250, apps * 2L));
  }

  private static void awaitUntil(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not " + what + " within " + LIMIT);
      }
      Thread.sleep(250);
    }
  }

  private static String write(Turn turn, String name, String text) throws IOException {
    return Files.writeString(turn.dir().resolve(name), text).toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static List<String> withPort(List<String> arguments, int port) {
    List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port)));
    all.addAll(arguments);
    return all;
  }
}
