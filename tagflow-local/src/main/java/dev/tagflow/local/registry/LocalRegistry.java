package dev.tagflow.local.registry;

import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.PortAllocator;
import dev.tagflow.local.cluster.PortLock;
import dev.tagflow.local.process.ComponentProcess;
import dev.tagflow.local.process.Watchdog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real OCI registry on loopback: Debian's {@code docker-registry} (the CNCF distribution
 * registry), plain HTTP, with its storage in a folder of its own.
 */
public final class LocalRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalRegistry.class);
  private static final Path DEFAULT_BINARY = Path.of("/usr/bin/docker-registry");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final String NAME = "docker-registry";
  private static final String WATCHDOG = "docker-registry-watchdog";

  private final Path stateDir;
  private final ComponentProcess process;
  private final int port;

  private final Optional<ComponentProcess> watchdog;

  private LocalRegistry(
      Path stateDir, ComponentProcess process, int port, Optional<ComponentProcess> watchdog) {
    this.stateDir = stateDir;
    this.process = process;
    this.port = port;
    this.watchdog = watchdog;
  }

  /**
   * Starts a registry with its config ({@code registry.yml}), storage ({@code registry-storage/}),
   * log and pid file in {@code stateDir}, on the first free loopback port at or above {@code
   * firstPort}, and returns once {@code /v2/} answers. Given a local cluster's folder, the registry
   * is stopped with the cluster by {@code tagflow cluster down}.
   */
  public static LocalRegistry start(Path binary, Path stateDir, int firstPort, boolean attached) {
    if (!Files.isExecutable(binary)) {
      throw LocalSetupException.failed(
          "the registry program "
              + binary
              + " is not installed: install it with 'apt-get install docker-registry'"
              + " (make demo and make test do this)");
    }
    for (ComponentProcess stale : ComponentProcess.fromPidFiles(stateDir)) {
      if (stale.name().equals(NAME) || stale.name().equals(WATCHDOG)) {
        stale.stop();
        stale.forgetPidFile(stateDir);
      }
    }
    LocalRegistry registry =
        PortLock.holding(
            ClusterOptions.defaultCacheRoot(System.getenv()),
            () -> {
              int port = new PortAllocator(firstPort).next();
              Path config = writeConfig(stateDir, port);
              ComponentProcess process =
                  ComponentProcess.launch(
                      NAME, List.of(binary.toString(), "serve", config.toString()), stateDir);
              // Attached (tests): a watchdog stops the registry when this JVM ends, however.
              Optional<ComponentProcess> watchdog =
                  attached
                      ? Optional.of(Watchdog.watch(WATCHDOG, stateDir, List.of(process)))
                      : Optional.empty();
              LocalRegistry started = new LocalRegistry(stateDir, process, port, watchdog);
              try {
                started.awaitReady();
              } catch (RuntimeException e) {
                started.close();
                throw e;
              }
              return started;
            });
    log.info(
        "registry ready at {} (storage {})",
        registry.address(),
        stateDir.resolve("registry-storage"));
    return registry;
  }

  /**
   * Starts Debian's registry program from its usual place.
   *
   * @param attached stop it when this JVM ends, also when the JVM is killed (tests); a detached
   *     registry runs until {@link #close()} or {@code tagflow cluster down}
   */
  public static LocalRegistry start(Path stateDir, int firstPort, boolean attached) {
    return start(DEFAULT_BINARY, stateDir, firstPort, attached);
  }

  /** {@code 127.0.0.1:PORT}: the registry part of an image reference. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The registry's base URL. */
  public URI url() {
    return URI.create("http://" + address());
  }

  public int port() {
    return port;
  }

  /** The running program and its pid. */
  public ComponentProcess process() {
    return process;
  }

  /** Whether {@code GET /v2/} answers 200 now. */
  public boolean isReady() {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    watchdog.ifPresent(
        w -> {
          w.stop();
          w.forgetPidFile(stateDir);
        });
    process.stop();
    process.forgetPidFile(stateDir);
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!isReady()) {
      if (!process.isAlive()) {
        throw LocalSetupException.failed(
            "the registry exited while starting. Last lines of "
                + process.log()
                + ":\n"
                + process.logTail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw LocalSetupException.failed(
            "the registry did not answer on " + url() + "/v2/ within 30 s; see " + process.log());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw LocalSetupException.failed("interrupted while waiting for the registry");
      }
    }
  }

  private static Path writeConfig(Path stateDir, int port) {
    Path storage = stateDir.resolve("registry-storage");
    Path config = stateDir.resolve("registry.yml");
    byte[] secret = new byte[16];
    ThreadLocalRandom.current().nextBytes(secret);
    String text =
        """
        version: 0.1
        log:
          level: warn
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
          secret: %s
        """
            .formatted(storage, port, HexFormat.of().formatHex(secret));
    try {
      Files.createDirectories(storage);
      Files.writeString(config, text, StandardCharsets.UTF_8);
      return config;
    } catch (IOException e) {
      throw LocalSetupException.failed("could not write the registry's config " + config, e);
    }
  }
}
