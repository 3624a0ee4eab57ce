package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok and
 * metrics-server from their Go modules, once per set of versions, into cache folders that later
 * runs reuse: one for the core programs, one for metrics-server, each complete or absent, so a
 * cache made before metrics-server joined stays valid and only the new part is built.
 *
 * <p>{@code k8s.io/kubernetes} cannot be built with a plain {@code go install}: its go.mod points
 * its staging modules at folders of its own repository. A scratch module requires it and replaces
 * each staging module by the published module of the same release; the list is read from that
 * release's go.mod, so a new minor with new staging modules needs no change here.
 */
public final class ControlPlaneBuild {

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneBuild.class);
  private static final String COMPLETE_MARKER = ".complete";
  private static final ObjectMapper JSON = JsonMapper.builderWithJackson2Defaults().build();

  private final Path cacheRoot;
  private final ControlPlaneVersions versions;
  private final Map<String, String> environment;
  private final Consumer<String> progress;
  private final List<Path> goLocations;

  /**
   * @param cacheRoot Tagflow's cache folder; the build goes to {@code controlplane/<versions>}
   * @param versions what to build
   * @param environment the environment of the {@code go} commands (PATH, GOTOOLCHAIN, proxies)
   * @param progress receives one line per step, and a line every 30 s while a step runs
   */
  public ControlPlaneBuild(
      Path cacheRoot,
      ControlPlaneVersions versions,
      Map<String, String> environment,
      Consumer<String> progress) {
    this(cacheRoot, versions, environment, progress, GoToolchain.WELL_KNOWN);
  }

  /** As above, looking for {@code go} at {@code goLocations} when it is not on the PATH. */
  ControlPlaneBuild(
      Path cacheRoot,
      ControlPlaneVersions versions,
      Map<String, String> environment,
      Consumer<String> progress,
      List<Path> goLocations) {
    this.cacheRoot = cacheRoot;
    this.versions = versions;
    this.environment = Map.copyOf(environment);
    this.progress = progress;
    this.goLocations = List.copyOf(goLocations);
  }

  /**
   * The folder of the core programs of this set of versions: {@code bin/}, {@code build.log} and
   * the scratch modules.
   */
  public Path directory() {
    return cacheRoot.resolve("controlplane").resolve(versions.cacheKey());
  }

  /** The folder of metrics-server at its version, beside {@link #directory()}. */
  public Path metricsServerDirectory() {
    return cacheRoot.resolve("controlplane").resolve(versions.metricsServerCacheKey());
  }

  /** Whether a complete build of every program is in the cache already. */
  public boolean isBuilt() {
    return isComplete(directory()) && isComplete(metricsServerDirectory());
  }

  /** Returns the cached programs, building first the parts that are not there. */
  public ControlPlaneBinaries ensureBuilt() {
    ensurePart(directory(), this::buildCore);
    ensurePart(metricsServerDirectory(), this::buildMetricsServer);
    return new ControlPlaneBinaries(
        directory().resolve("bin"), metricsServerDirectory().resolve("bin"));
  }

  private static boolean isComplete(Path partDirectory) {
    return Files.exists(partDirectory.resolve("bin").resolve(COMPLETE_MARKER));
  }

  /** How one cached part is built: its programs go to {@code out}, its go output to the log. */
  private interface PartBuild {
    void build(GoRunner go, Path partDirectory, Path out) throws IOException;
  }

  private void ensurePart(Path dir, PartBuild part) {
    if (isComplete(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir);
      // Two test JVMs may start at once; the second waits for the first build instead of racing it.
      try (FileChannel channel =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!isComplete(dir)) {
          build(dir, part);
        }
      }
    } catch (IOException e) {
      throw LocalSetupException.failed("could not prepare the build folder " + dir, e);
    }
  }

  /** Builds into {@code bin.partial}, then renames it {@code bin}: a part is whole or absent. */
  private void build(Path dir, PartBuild part) throws IOException {
    GoToolchain go = GoToolchain.find(environment, goLocations);
    Path partial = dir.resolve("bin.partial");
    deleteRecursively(partial);
    Files.createDirectories(partial);
    Path buildLog = dir.resolve("build.log");
    Files.writeString(buildLog, "", StandardCharsets.UTF_8);
    Instant started = Instant.now();

    GoRunner runner =
        new GoRunner(
            go,
            environment,
            buildLog,
            progress,
            "the local control plane",
            "the whole log is "
                + buildLog
                + "; the build cache is "
                + dir
                + " (nothing partial is kept as built; fix the cause and run again)");
    part.build(runner, dir, partial);

    Files.writeString(
        partial.resolve(COMPLETE_MARKER),
        versions + "\nbuilt " + Instant.now() + "\n",
        StandardCharsets.UTF_8);
    Path bin = dir.resolve("bin");
    deleteRecursively(bin);
    Files.move(partial, bin, StandardCopyOption.ATOMIC_MOVE);
    progress.accept(
        "Built in "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s; cached in "
            + bin);
  }

  private void buildCore(GoRunner runner, Path dir, Path out) throws IOException {
    progress.accept(
        "Building the local Kubernetes control plane ("
            + versions.kubernetes()
            + ", etcd "
            + versions.etcd()
            + ", kwok "
            + versions.kwok()
            + ") from Go modules into "
            + dir
            + ". This happens once and takes 10-30 minutes on 2 cores; later runs reuse it.");
    buildKubernetes(runner, dir.resolve("work-kubernetes"), out);
    buildEtcd(runner, dir.resolve("work-etcd"), out);
    buildKwok(runner, dir.resolve("work-kwok"), out);
  }

  /**
   * metrics-server's module has no replace lines, so {@code go install module@version} builds it;
   * the version ldflag is the one its own Makefile sets.
   */
  private void buildMetricsServer(GoRunner go, Path dir, Path out) throws IOException {
    Path work = dir.resolve("work");
    Files.createDirectories(work);
    progress.accept(
        "Building metrics-server "
            + versions.metricsServer()
            + " from its Go module into "
            + dir
            + " (once; a few minutes on 2 cores)");
    go.runWith(
        work,
        Map.of("GOBIN", out.toString()),
        "install",
        "-trimpath",
        "-ldflags",
        "-s -w -X k8s.io/client-go/pkg/version.gitVersion=" + versions.metricsServer(),
        "sigs.k8s.io/metrics-server/cmd/metrics-server@" + versions.metricsServer());
  }

  private void buildKubernetes(GoRunner go, Path work, Path out) throws IOException {
    Files.createDirectories(work);
    String kubernetes = versions.kubernetes();
    progress.accept("[1/3] resolving k8s.io/kubernetes " + kubernetes + " and its staging modules");
    String json = go.output(work, "mod", "download", "-json", "k8s.io/kubernetes@" + kubernetes);
    JsonNode info;
    try {
      info = JSON.readTree(json);
    } catch (JacksonException e) { // a checked IOException in Jackson 2, reported as one
      throw new IOException(e.getMessage(), e);
    }
    if (info.hasNonNull("Error")) { // go writes both as strings
      throw go.failure("k8s.io/kubernetes@" + kubernetes + ": " + info.get("Error").asString());
    }
    List<String> goMod = Files.readAllLines(Path.of(info.get("GoMod").asString()));
    Files.writeString(
        work.resolve("go.mod"), scratchGoMod(goMod, versions), StandardCharsets.UTF_8);
    go.run(work, "get", "k8s.io/kubernetes@" + kubernetes);

    progress.accept(
        "[1/3] building kube-apiserver, kube-controller-manager, kube-scheduler and kubectl "
            + kubernetes
            + " (the longest step)");
    List<String> args =
        new ArrayList<>(
            List.of(
                "build",
                "-trimpath",
                "-ldflags",
                versionLdflags(versions),
                "-o",
                out.toString() + "/"));
    for (String command :
        List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl")) {
      args.add("k8s.io/kubernetes/cmd/" + command);
    }
    go.run(work, args.toArray(String[]::new));
  }

  private void buildEtcd(GoRunner go, Path work, Path out) throws IOException {
    Files.createDirectories(work);
    progress.accept("[2/3] building etcd " + versions.etcd());
    Files.writeString(work.resolve("go.mod"), "module tagflow.local/etcd\n\ngo 1.26.0\n");
    go.run(work, "get", "go.etcd.io/etcd/server/v3@" + versions.etcd());
    go.run(
        work,
        "build",
        "-trimpath",
        "-ldflags",
        "-s -w",
        "-o",
        out.resolve("etcd").toString(),
        "go.etcd.io/etcd/server/v3");
  }

  private void buildKwok(GoRunner go, Path work, Path out) throws IOException {
    Files.createDirectories(work);
    progress.accept("[3/3] building kwok " + versions.kwok());
    go.runWith(
        work,
        Map.of("GOBIN", out.toString()),
        "install",
        "-trimpath",
        "-ldflags",
        "-s -w",
        "sigs.k8s.io/kwok/cmd/kwok@" + versions.kwok());
  }

  /**
   * The go.mod of the scratch module: requires the release, replaces every staging module (read
   * from the release's own go.mod) by its published version, and keeps the release's godebug lines.
   */
  static String scratchGoMod(List<String> kubernetesGoMod, ControlPlaneVersions versions) {
    StringBuilder text = new StringBuilder("module tagflow.local/controlplane\n\n");
    String goLine = "go 1.26.0";
    List<String> godebug = new ArrayList<>();
    List<String> staging = new ArrayList<>();
    for (String raw : kubernetesGoMod) {
      String line = raw.strip();
      if (line.startsWith("go ")) {
        goLine = line;
      } else if (line.startsWith("godebug ")) {
        godebug.add(line);
      } else if (line.contains("=> ./staging/src/")) {
        String module = line.replaceFirst("^replace\\s+", "").split("\\s+")[0];
        staging.add(module);
      }
    }
    if (staging.isEmpty()) {
      throw LocalSetupException.failed(
          "the go.mod of k8s.io/kubernetes "
              + versions.kubernetes()
              + " names no staging modules; is it a Kubernetes release tag?");
    }
    text.append(goLine).append("\n\n");
    godebug.forEach(line -> text.append(line).append('\n'));
    text.append("\nrequire k8s.io/kubernetes ").append(versions.kubernetes()).append("\n\n");
    text.append("replace (\n");
    for (String module : staging) {
      text.append('\t')
          .append(module)
          .append(" => ")
          .append(module)
          .append(' ')
          .append(versions.stagingVersion())
          .append('\n');
    }
    text.append(")\n");
    return text.toString();
  }

  /** The ldflags that make {@code kubectl version} and the servers report the real version. */
  static String versionLdflags(ControlPlaneVersions versions) {
    StringBuilder flags = new StringBuilder("-s -w");
    for (String pkg : List.of("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")) {
      flags
          .append(" -X ")
          .append(pkg)
          .append(".gitVersion=")
          .append(versions.kubernetes())
          .append(" -X ")
          .append(pkg)
          .append(".gitMajor=1 -X ")
          .append(pkg)
          .append(".gitMinor=")
          .append(versions.kubernetesMinor())
          .append(" -X ")
          .append(pkg)
          .append(".gitTreeState=clean");
    }
    return flags.toString();
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
