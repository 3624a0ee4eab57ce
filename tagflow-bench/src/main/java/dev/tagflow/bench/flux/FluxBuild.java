package dev.tagflow.bench.flux;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.cluster.GoRunner;
import dev.tagflow.local.cluster.GoToolchain;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Builds Flux's source-controller and kustomize-controller from their Go modules, once per version,
 * into {@code <cache>/flux/<version>/bin}, which later runs reuse; nothing of Flux is kept in the
 * project. Their go.mod files carry {@code replace} lines, so {@code go install module@version} is
 * refused: each is built from a scratch module that requires it and repeats its replace lines.
 */
public final class FluxBuild {

  /** The newest release of both controllers that builds with Go 1.26. */
  public static final String VERSION = "v1.9.6";

  private static final String COMPLETE = ".complete";

  /**
   * One controller: its module, and replace lines the scratch module adds to the module's own.
   * source-controller v1.9.x requires {@code fluxcd/pkg/artifact} v0.18.2+, which the module proxy
   * does not serve; v0.18.0 builds and serves GitRepository artifacts.
   */
  record Controller(String name, List<String> extraReplaces) {
    String module() {
      return "github.com/fluxcd/" + name;
    }
  }

  static final List<Controller> CONTROLLERS =
      List.of(
          new Controller(
              "source-controller",
              List.of("github.com/fluxcd/pkg/artifact => github.com/fluxcd/pkg/artifact v0.18.0")),
          new Controller("kustomize-controller", List.of()));

  private final Path directory;
  private final Map<String, String> environment;
  private final Consumer<String> progress;

  /**
   * @param cacheRoot Tagflow's cache folder (the control plane's)
   * @param environment the environment of the {@code go} commands
   * @param progress one line per step, and one every 30 s while a step runs
   */
  public FluxBuild(Path cacheRoot, Map<String, String> environment, Consumer<String> progress) {
    this.directory = cacheRoot.resolve("flux").resolve(VERSION);
    this.environment = Map.copyOf(environment);
    this.progress = progress;
  }

  /** The folder of the built programs. */
  public Path bin() {
    return directory.resolve("bin");
  }

  /** Builds what is not in the cache yet, then returns the folder of the programs. */
  public Path ensureBuilt() {
    if (Files.exists(bin().resolve(COMPLETE))) {
      return bin();
    }
    try {
      Files.createDirectories(directory);
      // Two bench runs may start at once: the second waits for the first build.
      try (FileChannel channel =
              FileChannel.open(
                  directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!Files.exists(bin().resolve(COMPLETE))) {
          build();
        }
      }
    } catch (IOException e) {
      throw LocalSetupException.failed("could not prepare the Flux build folder " + directory, e);
    }
    return bin();
  }

  private void build() throws IOException {
    Path log = directory.resolve("build.log");
    Files.writeString(log, "");
    GoRunner go =
        new GoRunner(
            GoToolchain.find(environment, GoToolchain.WELL_KNOWN),
            environment,
            log,
            progress,
            "Flux's controllers",
            "nothing partial is kept as built; the Go toolchain must be 1.26 or newer and the"
                + " module proxy reachable. Fix the cause and run again.");
    Path partial = directory.resolve("bin.partial");
    deleteTree(partial);
    Files.createDirectories(partial);
    Instant started = Instant.now();
    progress.accept(
        "Building Flux's source-controller and kustomize-controller "
            + VERSION
            + " from their Go modules into "
            + directory
            + " (once; about 5 minutes each on 2 cores; the go output goes to "
            + log
            + ")");
    int step = 0;
    for (Controller controller : CONTROLLERS) {
      step++;
      String prefix = "[" + step + "/" + CONTROLLERS.size() + "] " + controller.name() + ": ";
      Path work = Files.createDirectories(directory.resolve("work-" + controller.name()));
      progress.accept(prefix + "resolving " + controller.module() + "@" + VERSION);
      String json =
          go.output(work, "mod", "download", "-json", controller.module() + "@" + VERSION);
      JsonNode info = PlainJson.MAPPER.readTree(json);
      if (info.hasNonNull("Error")) {
        throw go.failure(
            controller.module() + "@" + VERSION + ": " + NodeText.of(info.get("Error")));
      }
      List<String> goMod = Files.readAllLines(Path.of(NodeText.of(info.get("GoMod"))));
      Files.writeString(work.resolve("go.mod"), scratchGoMod(controller, goMod));
      // `go mod tidy` would fail on test-only modules the proxy does not serve; `go get` does not.
      go.run(work, "get", controller.module() + "@" + VERSION);
      progress.accept(prefix + "building (the long step)");
      go.run(
          work,
          "build",
          "-trimpath",
          "-ldflags",
          "-s -w",
          "-o",
          partial.resolve(controller.name()).toString(),
          controller.module());
      Files.writeString(
          partial.resolve(controller.name() + ".dir"), NodeText.of(info.get("Dir")) + "\n");
    }
    Files.writeString(partial.resolve(COMPLETE), VERSION + "\nbuilt " + Instant.now() + "\n");
    deleteTree(bin());
    Files.move(partial, bin());
    progress.accept(
        "Built Flux in "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s; cached in "
            + bin());
  }

  /** The module folder (with {@code config/crd/bases}) recorded when the controller was built. */
  public Path moduleOf(String controller) {
    try {
      return Path.of(Files.readString(bin().resolve(controller + ".dir")).strip());
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "the Flux build in " + bin() + " names no module folder for " + controller, e);
    }
  }

  /**
   * The scratch module's go.mod: requires the controller and repeats its replace lines that point
   * at other modules (its {@code ./api} one is left out: the published api module of the same
   * version is used), then adds the controller's own extra lines.
   */
  static String scratchGoMod(Controller controller, List<String> goMod) {
    String goLine = "go 1.26.0";
    List<String> replaces = new ArrayList<>();
    boolean inBlock = false;
    for (String raw : goMod) {
      String line = raw.replaceFirst("//.*$", "").strip();
      if (line.startsWith("go ")) {
        goLine = line;
      } else if (line.equals("replace (")) {
        inBlock = true;
      } else if (inBlock && line.equals(")")) {
        inBlock = false;
      } else if ((inBlock || line.startsWith("replace ")) && line.contains("=>")) {
        String replace = line.replaceFirst("^replace\\s+", "");
        String target = replace.substring(replace.indexOf("=>") + 2).strip();
        if (!target.startsWith("./") && !target.startsWith("../")) {
          replaces.add(replace);
        }
      }
    }
    replaces.addAll(controller.extraReplaces());
    StringBuilder text =
        new StringBuilder("module tagflow.local/flux-")
            .append(controller.name())
            .append("\n\n")
            .append(goLine)
            .append("\n\nrequire ")
            .append(controller.module())
            .append(' ')
            .append(VERSION)
            .append("\n\nreplace (\n");
    replaces.forEach(r -> text.append('\t').append(r).append('\n'));
    return text.append(")\n").toString();
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
