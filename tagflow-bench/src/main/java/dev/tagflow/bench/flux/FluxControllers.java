package dev.tagflow.bench.flux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Flux's source-controller and kustomize-controller running as processes against one cluster: their
 * CRDs applied server-side, every listener on loopback (their defaults listen on all interfaces),
 * leader election off, logs in files of {@code dir}.
 */
final class FluxControllers implements AutoCloseable {

  static final String NAMESPACE = "flux-system";

  private final List<Process> processes = new ArrayList<>();
  private final Path dir;

  private FluxControllers(Path dir) {
    this.dir = dir;
  }

  /**
   * Applies the CRDs, then starts both controllers.
   *
   * @param concurrent each controller's {@code --concurrent}, or 0 for its default (4)
   */
  static FluxControllers start(
      FluxBuild build, Kubectl admin, ToolAccount account, Path dir, int concurrent)
      throws IOException {
    for (FluxBuild.Controller controller : FluxBuild.CONTROLLERS) {
      Path crds = build.moduleOf(controller.name()).resolve("config/crd/bases");
      admin.run("apply", "--server-side", "--force-conflicts", "-f", crds.toString());
    }
    // A controller that starts before its CRDs are served ends at once ("no matches for kind").
    admin.run("wait", "--for=condition=Established", "crd", "--all", "--timeout=120s");
    admin.run("create", "namespace", NAMESPACE);
    FluxControllers flux = new FluxControllers(Files.createDirectories(dir));
    try {
      // The advertised address is the one kustomize-controller fetches artifacts from.
      String storage = loopback();
      List<String> source =
          List.of(
              "--storage-path=" + Files.createDirectories(dir.resolve("storage")),
              "--storage-addr=" + storage,
              "--storage-adv-addr=" + storage);
      flux.run(build, "source-controller", account, concurrent, source);
      flux.run(build, "kustomize-controller", account, concurrent, List.of());
    } catch (IOException | RuntimeException e) {
      flux.close();
      throw e;
    }
    return flux;
  }

  private void run(
      FluxBuild build, String name, ToolAccount account, int concurrent, List<String> extra)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                build.bin().resolve(name).toString(),
                "--enable-leader-election=false",
                "--metrics-addr=" + loopback(),
                "--health-addr=" + loopback(),
                "--log-level=info"));
    if (concurrent > 0) {
      command.add("--concurrent=" + concurrent);
    }
    command.addAll(extra);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", account.kubeconfig().toString());
    builder.environment().put("RUNTIME_NAMESPACE", NAMESPACE);
    builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    processes.add(builder.start());
  }

  /** The pids of both controllers. */
  List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  /** Fails with the controller's log if one has ended. */
  void requireAlive() throws IOException {
    for (int i = 0; i < processes.size(); i++) {
      if (!processes.get(i).isAlive()) {
        String name = FluxBuild.CONTROLLERS.get(i).name();
        throw new IllegalStateException(
            name + " ended:\n" + Files.readString(dir.resolve(name + ".log")));
      }
    }
  }

  /** A free port on loopback, as {@code 127.0.0.1:port}. */
  private static String loopback() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
