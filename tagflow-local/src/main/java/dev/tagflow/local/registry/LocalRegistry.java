package dev.tagflow.local.registry;

import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.cluster.ClusterCertificates;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.PortAllocator;
import dev.tagflow.local.cluster.PortLock;
import dev.tagflow.local.process.ComponentProcess;
import dev.tagflow.local.process.Watchdog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
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
  private final String host;
  private final int port;
  private final Optional<ClusterCertificates> tls;

  private final Optional<ComponentProcess> watchdog;

  private LocalRegistry(
      Path stateDir,
      ComponentProcess process,
      String host,
      int port,
      Optional<ClusterCertificates> tls,
      Optional<ComponentProcess> watchdog) {
    this.stateDir = stateDir;
    this.process = process;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.watchdog = watchdog;
  }

  /**
   * A user the registry asks for: the registry then serves HTTPS with a certificate of its own
   * local CA (for 127.0.0.1) and refuses anyone else. {@link #toString()} hides the password.
   */
  public record Login(String username, String password) {
    @Override
    public String toString() {
      return "Login[username=" + username + ", password=***]";
    }
  }

  /**
   * Starts a registry with its config ({@code registry.yml}), storage ({@code registry-storage/}),
   * log and pid file in {@code stateDir}, on the first free loopback port at or above {@code
   * firstPort}, and returns once {@code /v2/} answers. Given a local cluster's folder, the registry
   * is stopped with the cluster by {@code tagflow cluster down}.
   */
  public static LocalRegistry start(Path binary, Path stateDir, int firstPort, boolean attached) {
    return start(binary, stateDir, firstPort, attached, "127.0.0.1", Optional.empty());
  }

  /**
   * Starts an attached registry that listens on {@code host} (such as a non-loopback address of
   * this machine) over plain HTTP.
   */
  public static LocalRegistry startOn(String host, Path stateDir, int firstPort) {
    return start(DEFAULT_BINARY, stateDir, firstPort, true, host, Optional.empty());
  }

  /** Starts an attached registry on loopback that serves HTTPS and asks for {@code login}. */
  public static LocalRegistry startWithLogin(Path stateDir, int firstPort, Login login) {
    return start(DEFAULT_BINARY, stateDir, firstPort, true, "127.0.0.1", Optional.of(login));
  }

  private static LocalRegistry start(
      Path binary,
      Path stateDir,
      int firstPort,
      boolean attached,
      String host,
      Optional<Login> login) {
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
              Optional<ClusterCertificates> tls =
                  login.map(l -> ClusterCertificates.generate(stateDir.resolve("registry-tls")));
              Path config = writeConfig(stateDir, host, port, tls, login);
              ComponentProcess process =
                  ComponentProcess.launch(
                      NAME, List.of(binary.toString(), "serve", config.toString()), stateDir);
              // Attached (tests): a watchdog stops the registry when this JVM ends, however.
              Optional<ComponentProcess> watchdog =
                  attached
                      ? Optional.of(Watchdog.watch(WATCHDOG, stateDir, List.of(NAME)))
                      : Optional.empty();
              LocalRegistry started =
                  new LocalRegistry(stateDir, process, host, port, tls, watchdog);
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
    return host + ":" + port;
  }

  /** The registry's base URL: {@code https} when it asks for a login, else {@code http}. */
  public URI url() {
    return URI.create((tls.isPresent() ? "https://" : "http://") + address());
  }

  /** The CA certificate (PEM) a client trusts to reach a registry started with a login. */
  public Optional<Path> caCertificate() {
    return tls.map(ClusterCertificates::caCertificate);
  }

  public int port() {
    return port;
  }

  /** The running program and its pid. */
  public ComponentProcess process() {
    return process;
  }

  /** Whether {@code GET /v2/} answers now (200, or 401 from a registry that asks for a login). */
  public boolean isReady() {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    tls.ifPresent(t -> client.sslContext(trusting(t.caCertificate())));
    try (HttpClient http = client.build()) {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200 || (tls.isPresent() && response.statusCode() == 401);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The digest of the manifest the registry serves for {@code repository:reference}, computed from
   * the manifest's bytes ({@code sha256:…}), or empty when it has none. Anonymous: for a registry
   * started without a login.
   */
  public Optional<String> manifestDigest(String repository, String reference) {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    tls.ifPresent(t -> client.sslContext(trusting(t.caCertificate())));
    try (HttpClient http = client.build()) {
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(url().resolve("/v2/" + repository + "/manifests/" + reference))
                  .timeout(Duration.ofSeconds(10))
                  .header(
                      "Accept",
                      "application/vnd.oci.image.manifest.v1+json,"
                          + "application/vnd.oci.image.index.v1+json,"
                          + "application/vnd.docker.distribution.manifest.v2+json")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() == 404) {
        return Optional.empty();
      }
      if (answer.statusCode() != 200) {
        throw LocalSetupException.failed(
            "the registry answered "
                + answer.statusCode()
                + " for the manifest of "
                + repository
                + ":"
                + reference);
      }
      return Optional.of(
          "sha256:"
              + HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(answer.body())));
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "the registry at " + url() + " did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LocalSetupException.failed("interrupted while asking the registry");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public void close() {
    // The watchdog last: a JVM killed in the middle still has it stop the registry.
    process.stop();
    process.forgetPidFile(stateDir);
    watchdog.ifPresent(
        w -> {
          w.stop();
          w.forgetPidFile(stateDir);
        });
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

  /** An SSL context that trusts the certificates signed by the CA in {@code caCertificate}. */
  public static SSLContext trusting(Path caCertificate) {
    try (InputStream in = Files.newInputStream(caCertificate)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw LocalSetupException.failed("could not read the CA certificate " + caCertificate, e);
    }
  }

  private static Path writeConfig(
      Path stateDir,
      String host,
      int port,
      Optional<ClusterCertificates> tls,
      Optional<Login> login) {
    Path storage = stateDir.resolve("registry-storage");
    Path config = stateDir.resolve("registry.yml");
    Path htpasswd = stateDir.resolve("registry.htpasswd");
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
          addr: %s:%d
          secret: %s
        """
            .formatted(storage, host, port, HexFormat.of().formatHex(secret));
    if (tls.isPresent() && login.isPresent()) {
      text +=
          """
            tls:
              certificate: %s
              key: %s
          auth:
            htpasswd:
              realm: tagflow-local
              path: %s
          """
              .formatted(tls.get().servingCertificate(), tls.get().servingKey(), htpasswd);
    }
    try {
      Files.createDirectories(storage);
      if (login.isPresent()) {
        // The registry reads bcrypt lines, as Apache's htpasswd -B writes them.
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2a", login.get().password().toCharArray(), salt, 10);
        Files.writeString(htpasswd, login.get().username() + ":" + hash + "\n");
      }
      Files.writeString(config, text, StandardCharsets.UTF_8);
      return config;
    } catch (IOException e) {
      throw LocalSetupException.failed("could not write the registry's config " + config, e);
    }
  }
}
