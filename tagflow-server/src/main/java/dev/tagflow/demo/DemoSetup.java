package dev.tagflow.demo;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.TagflowException;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.cluster.PortLock;
import dev.tagflow.local.process.ComponentProcess;
import dev.tagflow.local.process.Watchdog;
import dev.tagflow.local.registry.LocalRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The demo's running parts, started as processes in {@code <data-dir>/demo/<name>} (the cluster in
 * {@code <data-dir>/clusters/<name>}): what an earlier demo of that name left is stopped and its
 * files removed first, so every run tells the same story. Two demos run side by side under other
 * names or data directories (each on free ports); a second one of the same name and data directory
 * is refused while the first runs. {@link #close()} stops them all.
 */
public final class DemoSetup implements AutoCloseable {

  /** The server's first port tried; taken ports are skipped. */
  static final int FIRST_SERVER_PORT = 17070;

  /** The registry's first port tried; taken ports are skipped. */
  static final int FIRST_REGISTRY_PORT = 15000;

  private static final Duration SERVER_START = Duration.ofSeconds(120);

  private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

  private final Path home;
  private final Path clusterState;
  private final Path lockFile;
  private FileChannel lock;
  private final List<Runnable> stops = new ArrayList<>();
  private LocalRegistry registry;
  private ComponentProcess server;
  private URI serverUrl;
  private String token;

  /**
   * @param dataDir Tagflow's data directory
   * @param clusterName the local cluster's name; its files are in {@code clusters/<name>}
   */
  public DemoSetup(Path dataDir, String clusterName) {
    this.home = dataDir.resolve("demo").resolve(clusterName);
    this.clusterState = dataDir.resolve("clusters").resolve(clusterName);
    this.lockFile = dataDir.resolve("demo").resolve(clusterName + ".lock");
  }

  /**
   * Stops what an earlier demo left running in the demo's folder and removes its files; refused
   * while another demo of the same name and data directory runs (it holds the demo's lock file,
   * released by the system when that demo's JVM ends, however it ends).
   */
  public synchronized List<ComponentProcess> clean() {
    claim();
    List<ComponentProcess> stopped = new ArrayList<>();
    for (Path dir : List.of(home, home.resolve("registry"))) {
      for (ComponentProcess process : ComponentProcess.fromPidFiles(dir)) {
        if (process.isAlive()) {
          process.stop();
          stopped.add(process);
        }
      }
    }
    stopped.addAll(LocalCluster.stop(clusterState));
    deleteRecursively(home);
    return stopped;
  }

  private void claim() {
    if (lock != null) {
      return;
    }
    try {
      Files.createDirectories(lockFile.getParent());
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (!locked(channel)) {
        channel.close();
        throw TagflowException.invalidInput(
            "a demo named '"
                + clusterState.getFileName()
                + "' already runs with the data directory "
                + lockFile.getParent().getParent()
                + " (it holds "
                + lockFile
                + "): stop it with Ctrl-C, or run this one beside it with another --name or"
                + " --data-dir");
      }
      lock = channel;
    } catch (IOException e) {
      throw TagflowException.failed("could not take the demo's lock " + lockFile, e);
    }
  }

  private static boolean locked(FileChannel channel) throws IOException {
    try {
      return channel.tryLock() != null;
    } catch (OverlappingFileLockException heldInThisJvm) {
      return false;
    }
  }

  /** The registry on the first free port from {@value #FIRST_REGISTRY_PORT}. */
  public LocalRegistry startRegistry() {
    registry = LocalRegistry.start(home.resolve("registry"), FIRST_REGISTRY_PORT, true);
    stops.add(registry::close);
    return registry;
  }

  /**
   * The local cluster, whose pods of {@code neverReady} images run but never become Ready; it is
   * stopped with the demo, also when the demo's JVM is killed.
   */
  public LocalCluster startCluster(
      String name, List<String> neverReady, Consumer<String> progress) {
    ClusterOptions options =
        ClusterOptions.defaults(name, clusterState, true).withNeverReadyImages(neverReady);
    stops.add(() -> LocalCluster.stop(clusterState));
    return LocalCluster.start(options, progress);
  }

  /**
   * {@code tagflow server --config <settings>} as a process of its own, on the first free port from
   * {@value #FIRST_SERVER_PORT}, with the push token of {@link #token()}; returns once it answers
   * {@code /healthz}. The port is chosen and bound under the machine's port lock, so a demo or test
   * starting beside this one cannot take the same port in between.
   *
   * @param javaCommand how to start Tagflow's JVM: {@code java}, its options and class path
   * @param settings writes the server's settings file for the port chosen, and answers its path
   */
  public URI startServer(List<String> javaCommand, IntFunction<Path> settings) {
    return PortLock.holding(
        ClusterOptions.defaultCacheRoot(System.getenv()),
        () -> {
          int port = freePort(FIRST_SERVER_PORT);
          return startServer(javaCommand, settings.apply(port), port);
        });
  }

  private URI startServer(List<String> javaCommand, Path settings, int port) {
    Path data = serverData();
    List<String> command = new ArrayList<>(javaCommand);
    command.addAll(
        List.of(
            "dev.tagflow.cli.Main",
            "server",
            "--config",
            settings.toString(),
            "--data-dir",
            data.toString()));
    server = ComponentProcess.launch("tagflow-server", command, home);
    ComponentProcess watchdog = Watchdog.watch("server-watchdog", home, List.of(server.name()));
    stops.add(
        () -> {
          server.stop();
          watchdog.stop();
        });
    serverUrl = URI.create("http://127.0.0.1:" + port);
    awaitHealthy();
    return serverUrl;
  }

  private void awaitHealthy() {
    Instant deadline = Instant.now().plus(SERVER_START);
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (true) {
        if (!server.isAlive()) {
          throw TagflowException.failed(
              "tagflow server exited while starting; last lines of "
                  + server.log()
                  + ":\n"
                  + server.logTail());
        }
        try {
          HttpResponse<Void> answer =
              http.send(
                  HttpRequest.newBuilder(serverUrl.resolve("/healthz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (answer.statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // Not listening yet: the JVM is still starting.
        }
        if (Instant.now().isAfter(deadline)) {
          throw TagflowException.failed(
              "tagflow server did not answer "
                  + serverUrl
                  + "/healthz within 2 min; see "
                  + server.log());
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("interrupted while waiting for tagflow server");
    }
  }

  /**
   * Writes a dump of the server's threads, virtual ones included, beside its log, with the JDK's
   * {@code jcmd}: what a report of a demo that stopped waiting needs to say where the server was.
   *
   * @return the dump's file
   * @throws TagflowException when no server runs or jcmd fails, saying why
   */
  public Path serverThreadDump() {
    if (server == null || !server.isAlive()) {
      throw TagflowException.failed("no thread dump: the server does not run");
    }
    return threadDump(
        server.pid(),
        server
            .log()
            .resolveSibling("tagflow-server-threads-" + Instant.now().toEpochMilli() + ".txt"));
  }

  /** Writes the threads of the JVM of {@code pid} to {@code file} with this JDK's jcmd. */
  static Path threadDump(long pid, Path file) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> command =
        List.of(
            jcmd.toString(),
            Long.toString(pid),
            "Thread.dump_to_file",
            "-format=text",
            file.toString());
    // jcmd's own words go to a file, so that a jcmd that never ends cannot hold this thread.
    Path said = file.resolveSibling(file.getFileName() + ".jcmd");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(said.toFile()))
              .start();
      try {
        if (!process.waitFor(JCMD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw TagflowException.failed(
              "no thread dump: " + jcmd + " did not end within " + JCMD_TIMEOUT.toSeconds() + " s");
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(file)) {
          throw TagflowException.failed(
              "no thread dump: '"
                  + String.join(" ", command)
                  + "' exited with "
                  + process.exitValue()
                  + ": "
                  + Files.readString(said).strip());
        }
        return file;
      } finally {
        Files.deleteIfExists(said);
      }
    } catch (IOException e) {
      throw TagflowException.failed(
          "no thread dump: could not run " + jcmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("no thread dump: interrupted", e);
    }
  }

  /** Writes a new random push token for the server's Git server (mode 600) and returns its file. */
  public Path writeToken() {
    byte[] random = new byte[20];
    new SecureRandom().nextBytes(random);
    token = "tf_demo_" + HexFormat.of().formatHex(random);
    Path file = home.resolve("git-token");
    try {
      Files.createDirectories(home);
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw TagflowException.failed("could not write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** The push token of {@link #writeToken()}; never printed. */
  String token() {
    return token;
  }

  /** The first free loopback port from {@code first}: a port in use is skipped. */
  public static int freePort(int first) {
    for (int port = first; port < first + 200; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        return port;
      } catch (IOException taken) {
        // In use: the next one.
      }
    }
    throw TagflowException.failed("no free loopback port from " + first + " to " + (first + 199));
  }

  /** The demo's folder: work trees, settings, the server's data. */
  public Path home() {
    return home;
  }

  public Path serverData() {
    return home.resolve("server");
  }

  public Path kubeconfig() {
    return clusterState.resolve("kubeconfig");
  }

  public Optional<ComponentProcess> server() {
    return Optional.ofNullable(server);
  }

  public Optional<LocalRegistry> registry() {
    return Optional.ofNullable(registry);
  }

  /** The processes the demo started that still run (none after {@link #close()}). */
  public List<ComponentProcess> running() {
    List<ComponentProcess> all = new ArrayList<>(ComponentProcess.fromPidFiles(home));
    all.addAll(ComponentProcess.fromPidFiles(home.resolve("registry")));
    all.addAll(ComponentProcess.fromPidFiles(clusterState));
    return all.stream().filter(ComponentProcess::isAlive).toList();
  }

  /** Stops everything, the last started first; safe to call twice. */
  @Override
  public synchronized void close() {
    List<Runnable> reversed = new ArrayList<>(stops);
    stops.clear();
    for (Runnable stop : reversed.reversed()) {
      stop.run();
    }
    if (lock != null) {
      try {
        lock.close(); // releases the lock: another demo of this name may start
      } catch (IOException ignored) {
        // The system releases it when this JVM ends anyway.
      }
      lock = null;
    }
  }

  static void deleteRecursively(Path dir) {
    try {
      DirectoryRemoval.delete(dir);
    } catch (IOException e) {
      throw TagflowException.failed("could not clear " + dir + ": " + e.getMessage(), e);
    }
  }
}
