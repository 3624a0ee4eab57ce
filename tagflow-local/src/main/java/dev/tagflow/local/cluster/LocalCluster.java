package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.process.ComponentProcess;
import dev.tagflow.local.process.Watchdog;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok, which simulates nodes so that pods are scheduled, run and become Ready
 * with no kubelet and no container runtime, and the parts a cloud cluster has that applications
 * rely on: LoadBalancer Services and Ingresses get an address (kwok stages), claims of the default
 * StorageClass {@code standard} are bound to host-path volumes (kube-controller-manager), and
 * metrics-server serves {@code metrics.k8s.io} from the resource usage kwok simulates, so
 * HorizontalPodAutoscalers scale and {@code kubectl top} answers.
 *
 * <p>Each program runs in a process group of its own with a pid file in the state folder; a cluster
 * left behind by a crashed run is stopped and wiped at the next start in the same folder.
 */
public final class LocalCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  /** Annotation kwok looks for on the nodes it manages. */
  public static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

  /** A pod with this label set to {@code "true"} runs, then fails: phase Failed. */
  public static final String FAIL_LABEL = "tagflow.dev/testkit-fail";

  /** A pod with this label set to {@code "false"} runs but never becomes Ready. */
  public static final String READY_LABEL = "tagflow.dev/testkit-ready";

  private static final int PORT_ATTEMPTS = 3;

  /** A node with this annotation tells metrics-server where its kubelet's metrics are. */
  static final String RESOURCE_METRICS_PATH_ANNOTATION = "metrics.k8s.io/resource-metrics-path";

  private static final List<String> START_ORDER =
      List.of(
          "etcd",
          "kube-apiserver",
          "kube-controller-manager",
          "kube-scheduler",
          "kwok",
          "metrics-server");

  private final ClusterOptions options;
  private final ControlPlaneBinaries binaries;
  private final Path kubeconfig;
  private final String serverUrl;
  // Replaced in place when a test stops and starts a program again (an outage).
  private final List<ComponentProcess> components;
  private final Map<String, Restartable> restartable;

  /** How a program that a test may stop and start again is started, and when it is up again. */
  private record Restartable(List<String> command, BooleanSupplier up, String what) {}

  private LocalCluster(
      ClusterOptions options,
      ControlPlaneBinaries binaries,
      Path kubeconfig,
      String serverUrl,
      List<ComponentProcess> components,
      Map<String, Restartable> restartable) {
    this.options = options;
    this.binaries = binaries;
    this.kubeconfig = kubeconfig;
    this.serverUrl = serverUrl;
    this.components = new CopyOnWriteArrayList<>(components);
    this.restartable = Map.copyOf(restartable);
  }

  /**
   * Builds the control plane if it is not cached yet, stops any cluster left in the state folder,
   * starts a fresh one and returns when it is ready: API server ready, the default ServiceAccount
   * created, and the fake nodes Ready.
   */
  public static LocalCluster start(ClusterOptions options, Consumer<String> progress) {
    ControlPlaneBinaries binaries =
        new ControlPlaneBuild(
                options.cacheRoot(), options.versions(), options.environment(), progress)
            .ensureBuilt();
    Path state = options.stateDir();
    List<ComponentProcess> stale = ComponentProcess.fromPidFiles(state);
    if (!stale.isEmpty()) {
      progress.accept("Stopping a cluster left in " + state + " by an earlier run");
      stopAll(state, stale);
    }
    PortAllocator ports = new PortAllocator(options.firstPort());
    for (int attempt = 1; ; attempt++) {
      wipe(state);
      try {
        return PortLock.holding(
            options.cacheRoot(), () -> startOnce(options, binaries, ports, progress));
      } catch (LocalSetupException e) {
        // Another process may bind a port between our check and the program's bind; the
        // allocator never hands out the same port twice, so the next attempt uses fresh ones.
        if (attempt >= PORT_ATTEMPTS || !e.getMessage().contains("address already in use")) {
          throw e;
        }
        progress.accept("A port was taken while starting; starting again on other ports");
      }
    }
  }

  private static LocalCluster startOnce(
      ClusterOptions options,
      ControlPlaneBinaries binaries,
      PortAllocator ports,
      Consumer<String> progress) {
    Path state = options.stateDir();
    Instant started = Instant.now();
    int apiserverPort = ports.next();
    int etcdClientPort = ports.next();
    int etcdPeerPort = ports.next();
    int kubeletPort = ports.next();
    int metricsServerPort = ports.next();
    String serverUrl = "https://127.0.0.1:" + apiserverPort;
    ClusterCertificates certificates = ClusterCertificates.generate(state.resolve("pki"));
    Path kubeconfig = state.resolve("kubeconfig");
    Kubeconfig.write(kubeconfig, Kubeconfig.render(options.name(), serverUrl, certificates));
    List<Path> kwokConfigs =
        List.of(
            writeStages(state, options.neverReadyImages()),
            writeResource(state, "kwok-server.yaml"));

    List<ComponentProcess> running = new ArrayList<>();
    List<String> etcdCommand =
        ComponentCommands.etcdCommand(binaries, state, etcdClientPort, etcdPeerPort);
    List<String> apiserverCommand =
        ComponentCommands.apiserverCommand(binaries, certificates, apiserverPort, etcdClientPort);
    Map<String, Restartable> restartable =
        Map.of(
            "etcd",
            new Restartable(
                etcdCommand, () -> Readiness.etcdHealthy(etcdClientPort), "etcd to report healthy"),
            "kube-apiserver",
            new Restartable(
                apiserverCommand,
                () -> {
                  try (KubernetesClient client = newClient(kubeconfig)) {
                    return Readiness.apiserverReady(client);
                  }
                },
                "kube-apiserver /readyz"));
    try {
      if (options.attached()) {
        // Before the first program: a JVM killed while the cluster starts leaves nothing behind.
        running.add(Watchdog.watch("watchdog", state, START_ORDER));
      }
      progress.accept("Starting etcd on 127.0.0.1:" + etcdClientPort);
      ComponentProcess etcd = ComponentProcess.launch("etcd", etcdCommand, state);
      running.add(etcd);
      Readiness.awaitUp(
          etcd, () -> Readiness.etcdHealthy(etcdClientPort), "etcd to report healthy");

      progress.accept("Starting kube-apiserver on " + serverUrl);
      ComponentProcess apiserver =
          ComponentProcess.launch("kube-apiserver", apiserverCommand, state);
      running.add(apiserver);
      try (KubernetesClient client = newClient(kubeconfig)) {
        Readiness.awaitUp(
            apiserver, () -> Readiness.apiserverReady(client), "kube-apiserver /readyz");
        // The default class exists before the controller manager could provision any claim.
        client
            .storage()
            .v1()
            .storageClasses()
            .resource(ClusterAddOns.defaultStorageClass())
            .create();

        progress.accept(
            "Starting kube-controller-manager, kube-scheduler, kwok (nodes' kubelets on 127.0.0.1:"
                + kubeletPort
                + ") and metrics-server (127.0.0.1:"
                + metricsServerPort
                + ")");
        running.add(
            ComponentProcess.launch(
                "kube-controller-manager",
                ComponentCommands.controllerManagerCommand(
                    binaries, certificates, kubeconfig, options.controllerManagerQps()),
                state));
        running.add(
            ComponentProcess.launch(
                "kube-scheduler", ComponentCommands.schedulerCommand(binaries, kubeconfig), state));
        running.add(
            ComponentProcess.launch(
                "kwok",
                ComponentCommands.kwokCommand(
                    binaries, certificates, kubeconfig, kwokConfigs, kubeletPort),
                state));
        running.add(
            ComponentProcess.launch(
                "metrics-server",
                ComponentCommands.metricsServerCommand(
                    binaries, certificates, kubeconfig, metricsServerPort, kubeletPort),
                state));
        Readiness.awaitAll(
            running,
            () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null,
            "the default ServiceAccount (made by kube-controller-manager)");
        createNodes(client, options.nodes());
        Readiness.awaitAll(
            running,
            () ->
                client.nodes().withLabel("type", "kwok").list().getItems().stream()
                        .filter(LocalCluster::isReady)
                        .count()
                    == options.nodes(),
            options.nodes() + " kwok nodes to become Ready");
        ClusterAddOns.registerMetricsApi(client, certificates, metricsServerPort, running);
      }
    } catch (RuntimeException e) {
      stopAll(state, running);
      throw e;
    }
    progress.accept(
        "Cluster '"
            + options.name()
            + "' ready in "
            + Duration.between(started, Instant.now()).toMillis()
            + " ms: "
            + serverUrl
            + ", kubeconfig "
            + kubeconfig);
    log.info("cluster {} ready at {} (state {})", options.name(), serverUrl, state);
    return new LocalCluster(options, binaries, kubeconfig, serverUrl, running, restartable);
  }

  /** The kubeconfig file with the admin user; readable only by its owner. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The API server's URL, e.g. {@code https://127.0.0.1:16443}. */
  public String serverUrl() {
    return serverUrl;
  }

  /** The built programs, kubectl among them. */
  public ControlPlaneBinaries binaries() {
    return binaries;
  }

  /** The running programs with their pids. */
  public List<ComponentProcess> components() {
    return components;
  }

  /** A new admin client; the caller closes it. */
  public KubernetesClient newClient() {
    return newClient(kubeconfig);
  }

  /**
   * A new admin client that reaches the API server at {@code serverUrl} (a {@code FaultyLink} in
   * front of it, or {@link #serverUrl()}) and sends every request through these interceptors, in
   * order; the caller closes it. It retries a request that got no answer once, not ten times, so a
   * test of an unreachable server fails in a fraction of a second.
   */
  public KubernetesClient newClient(String serverUrl, List<Interceptor> interceptors) {
    return newClient(serverUrl, Duration.ofSeconds(10), interceptors);
  }

  /** As {@link #newClient(String, List)}, giving up on a request after {@code requestTimeout}. */
  public KubernetesClient newClient(
      String serverUrl, Duration requestTimeout, List<Interceptor> interceptors) {
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw LocalSetupException.failed("could not read the kubeconfig " + kubeconfig, e);
    }
    config.setMasterUrl(serverUrl);
    config.setRequestTimeout((int) requestTimeout.toMillis());
    config.setConnectionTimeout(5_000);
    config.setRequestRetryBackoffLimit(1);
    config.setRequestRetryBackoffInterval(50);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(
            builder -> {
              for (int i = 0; i < interceptors.size(); i++) {
                builder.addOrReplaceInterceptor("testkit-" + i, interceptors.get(i));
              }
            })
        .build();
  }

  /**
   * Stops one program of the running cluster, {@code kube-apiserver} or {@code etcd}, as an outage
   * would (SIGTERM, SIGKILL after a grace): for tests of what Tagflow does when the API server goes
   * away in the middle of its work. Start it again with {@link #restart(String)}.
   */
  public void stop(String component) {
    requireRestartable(component);
    for (ComponentProcess process : components) {
      if (process.name().equals(component)) {
        process.stop();
        log.info("cluster {}: {} stopped", options.name(), component);
      }
    }
  }

  /**
   * Starts a program stopped with {@link #stop(String)} again, with the same command, port and
   * data, and returns once it is up; the cluster's watchdog reads its new pid file if this JVM
   * dies.
   */
  public void restart(String component) {
    Restartable how = requireRestartable(component);
    Path state = options.stateDir();
    ComponentProcess started = ComponentProcess.launch(component, how.command(), state);
    components.removeIf(p -> p.name().equals(component));
    components.add(started);
    Readiness.awaitUp(started, how.up(), how.what());
    log.info("cluster {}: {} started again (pid {})", options.name(), component, started.pid());
  }

  private Restartable requireRestartable(String component) {
    Restartable how = restartable.get(component);
    if (how == null) {
      throw new IllegalArgumentException(
          component + " cannot be stopped and started again; these can: " + restartable.keySet());
    }
    return how;
  }

  /**
   * Stops every program of the cluster and leaves none behind, nor the folders of the volumes it
   * provisioned.
   */
  @Override
  public void close() {
    List<Path> volumes = ClusterAddOns.hostPathFolders(kubeconfig);
    stopAll(options.stateDir(), components);
    ClusterAddOns.deleteFolders(volumes);
    log.info("cluster {} stopped", options.name());
  }

  /**
   * Stops the cluster whose pid files are in {@code stateDir}, if any; used by {@code tagflow
   * cluster down} and to clean up after a crashed run.
   *
   * @return the components that were still running
   */
  public static List<ComponentProcess> stop(Path stateDir) {
    List<ComponentProcess> found = ComponentProcess.fromPidFiles(stateDir);
    List<ComponentProcess> alive = found.stream().filter(ComponentProcess::isAlive).toList();
    Path kubeconfig = stateDir.resolve("kubeconfig");
    List<Path> volumes =
        alive.stream().anyMatch(p -> p.name().equals("kube-apiserver"))
                && Files.isRegularFile(kubeconfig)
            ? ClusterAddOns.hostPathFolders(kubeconfig)
            : List.of();
    stopAll(stateDir, found);
    ClusterAddOns.deleteFolders(volumes);
    return alive;
  }

  /**
   * Whether the metrics API of the cluster in {@code stateDir} is Available; empty when the API
   * server cannot say.
   */
  public static Optional<Boolean> metricsApiAvailable(Path stateDir) {
    Path kubeconfig = stateDir.resolve("kubeconfig");
    if (!Files.isRegularFile(kubeconfig)) {
      return Optional.empty();
    }
    try (KubernetesClient client = newClient(kubeconfig)) {
      return Optional.of(ClusterAddOns.metricsApiAvailable(client));
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  /** What the pid files of {@code stateDir} say about a cluster there, in start order. */
  public static List<ComponentProcess> componentsIn(Path stateDir) {
    return ComponentProcess.fromPidFiles(stateDir).stream()
        .sorted(Comparator.comparingInt((ComponentProcess p) -> startIndex(p)))
        .toList();
  }

  /** The position of a program in the start order; others (registry, watchdog) come last. */
  private static int startIndex(ComponentProcess process) {
    int index = START_ORDER.indexOf(process.name());
    return index < 0 ? START_ORDER.size() : index;
  }

  /**
   * Whether a cluster runs in {@code stateDir}: every program of its pid files alive, and the API
   * server ready.
   */
  public static boolean isRunning(Path stateDir) {
    List<ComponentProcess> found = ComponentProcess.fromPidFiles(stateDir);
    Path kubeconfig = stateDir.resolve("kubeconfig");
    if (found.isEmpty()
        || !found.stream().allMatch(ComponentProcess::isAlive)
        || !Files.isRegularFile(kubeconfig)) {
      return false;
    }
    try (KubernetesClient client = newClient(kubeconfig)) {
      return Readiness.apiserverReady(client);
    }
  }

  /** The API server's URL written in the kubeconfig of {@code stateDir}, if there is one. */
  public static Optional<String> serverUrlIn(Path stateDir) {
    Path kubeconfig = stateDir.resolve("kubeconfig");
    if (!Files.isRegularFile(kubeconfig)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(kubeconfig)) {
      return lines
          .map(String::strip)
          .filter(line -> line.startsWith("server: "))
          .map(line -> line.substring("server: ".length()))
          .findFirst();
    } catch (IOException e) {
      throw LocalSetupException.failed("could not read " + kubeconfig, e);
    }
  }

  /** Deletes the state folder of a stopped cluster: certificates, etcd's data, logs. */
  public static void delete(Path stateDir) {
    if (ComponentProcess.fromPidFiles(stateDir).stream().anyMatch(ComponentProcess::isAlive)) {
      throw LocalSetupException.failed(
          "the cluster in " + stateDir + " still runs; stop it before deleting its data");
    }
    if (!Files.exists(stateDir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(stateDir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw LocalSetupException.failed("could not delete " + stateDir, e);
    }
  }

  /** A new admin client for the cluster whose kubeconfig this is; the caller closes it. */
  public static KubernetesClient newClient(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setRequestTimeout(10_000);
      config.setConnectionTimeout(5_000);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw LocalSetupException.failed("could not read the kubeconfig " + kubeconfig, e);
    }
  }

  private static void stopAll(Path stateDir, List<ComponentProcess> processes) {
    // The reverse of the start order: a registry first, etcd next to last, and the watchdogs last,
    // so that a JVM killed while it stops the cluster still has them stop what is left.
    List<ComponentProcess> ordered =
        processes.stream()
            .sorted(
                Comparator.comparing(Watchdog::isWatchdog)
                    .thenComparingInt((ComponentProcess p) -> -startIndex(p)))
            .toList();
    for (ComponentProcess process : ordered) {
      process.stop();
      process.forgetPidFile(stateDir);
    }
  }

  private static void wipe(Path state) {
    try {
      Files.createDirectories(state);
      for (String child : List.of("etcd-data", "pki", "logs", "pids")) {
        Path dir = state.resolve(child);
        if (Files.exists(dir)) {
          try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
              Files.delete(p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw LocalSetupException.failed("could not clean the cluster folder " + state, e);
    }
  }

  /** Copies a resource of this package into the state folder, for a program to read. */
  /**
   * kwok's stages, with the images whose pods never become Ready written in (a name no image has
   * when there are none: kwok's {@code In} and {@code NotIn} want values).
   */
  private static Path writeStages(Path state, List<String> neverReadyImages) {
    Path file = writeResource(state, "kwok-stages.yaml");
    List<String> images =
        neverReadyImages.isEmpty() ? List.of("tagflow.invalid/no-image:none") : neverReadyImages;
    StringBuilder values = new StringBuilder("[");
    for (String image : images) {
      if (!image.matches("[A-Za-z0-9._:/@-]+")) {
        throw LocalSetupException.failed(
            "'" + image + "' is not an image reference (letters, digits and ._:/@- only)");
      }
      values.append(values.length() > 1 ? ", " : "").append('\'').append(image).append('\'');
    }
    values.append(']');
    try {
      Files.writeString(
          file, Files.readString(file).replace("values: NEVER_READY_IMAGES", "values: " + values));
      return file;
    } catch (IOException e) {
      throw LocalSetupException.failed("could not write " + file, e);
    }
  }

  private static Path writeResource(Path state, String name) {
    Path file = state.resolve(name);
    try (InputStream in = LocalCluster.class.getResourceAsStream(name)) {
      Files.write(file, Objects.requireNonNull(in, name + " resource").readAllBytes());
      return file;
    } catch (IOException e) {
      throw LocalSetupException.failed("could not write " + file, e);
    }
  }

  private static void createNodes(KubernetesClient client, int count) {
    for (int i = 0; i < count; i++) {
      String name = "kwok-node-" + i;
      Node node =
          new NodeBuilder()
              .withNewMetadata()
              .withName(name)
              .addToAnnotations(KWOK_NODE_ANNOTATION, "fake")
              .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
              .addToAnnotations(
                  RESOURCE_METRICS_PATH_ANNOTATION, "/metrics/nodes/" + name + "/metrics/resource")
              .addToLabels("type", "kwok")
              .addToLabels("kubernetes.io/hostname", name)
              .addToLabels("kubernetes.io/os", "linux")
              .addToLabels("kubernetes.io/arch", "amd64")
              .endMetadata()
              .build();
      client.nodes().resource(node).create();
    }
  }

  private static boolean isReady(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition condition : node.getStatus().getConditions()) {
      if ("Ready".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return true;
      }
    }
    return false;
  }
}
