package dev.tagflow.local.postgres;

import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.PortAllocator;
import dev.tagflow.local.cluster.PortLock;
import dev.tagflow.local.process.ComponentProcess;
import dev.tagflow.local.process.LogTail;
import dev.tagflow.local.process.Watchdog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} binaries, a fresh cluster ({@code
 * initdb}) in a temp folder, listening on a free loopback port only, run as an unprivileged user,
 * and removed with its folder on {@link #close()} — or by a watchdog when the JVM dies.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Path INSTALL_ROOT = Path.of("/usr/lib/postgresql");
  private static final String FOLDER_PREFIX = "tagflow-postgres-";
  private static final String NAME = "postgres";
  private static final String WATCHDOG = "postgres-watchdog";
  private static final String OWNER_FILE = "owner";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The database superuser the server is created with. */
  public static final String SUPERUSER = "tagflow";

  /** The first port tried; a busy port is skipped. */
  public static final int FIRST_PORT = 15432;

  private final Path folder;
  private final ComponentProcess process;
  private final ComponentProcess watchdog;
  private final int port;
  private final String password;

  private LocalPostgres(
      Path folder, ComponentProcess process, ComponentProcess watchdog, int port, String password) {
    this.folder = folder;
    this.process = process;
    this.watchdog = watchdog;
    this.port = port;
    this.password = password;
  }

  /** Starts a server on the first free loopback port from {@link #FIRST_PORT}. */
  public static LocalPostgres start() {
    return start(FIRST_PORT);
  }

  /**
   * Creates a cluster in a new temp folder and starts its server on the first free loopback port at
   * or above {@code firstPort}; returns once it accepts connections.
   */
  public static LocalPostgres start(int firstPort) {
    Path bin = binaries();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    removeLeftovers(tmp);
    ServerAccount account = ServerAccount.forThisProcess();
    Path folder = newFolder(tmp);
    try {
      account.own(folder);
      String password = HexFormat.of().formatHex(randomBytes());
      initdb(bin, folder, account, password);
      LocalPostgres postgres =
          PortLock.holding(
              ClusterOptions.defaultCacheRoot(System.getenv()),
              () -> launch(bin, folder, account, firstPort, password));
      log.info("PostgreSQL ready at 127.0.0.1:{} (cluster in {})", postgres.port, folder);
      return postgres;
    } catch (RuntimeException e) {
      deleteFolder(folder);
      throw e;
    }
  }

  /** The loopback port the server listens on. */
  public int port() {
    return port;
  }

  /** The superuser's name. */
  public String user() {
    return SUPERUSER;
  }

  /** The superuser's password, generated for this server. */
  public String password() {
    return password;
  }

  /** The JDBC URL of a database of this server, without credentials. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The running server and its pid. */
  public ComponentProcess process() {
    return process;
  }

  /** The folder of this server's cluster, logs and pid files. */
  public Path folder() {
    return folder;
  }

  /**
   * Creates an empty database and answers its JDBC URL.
   *
   * @param name lowercase letters, digits and underscores
   */
  public String createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw LocalSetupException.invalidInput(
          "database name '" + name + "' is not [a-z_][a-z0-9_]*; choose such a name");
    }
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw LocalSetupException.failed(
          "could not create database "
              + name
              + " on "
              + jdbcUrl("postgres")
              + ": "
              + e.getMessage(),
          e);
    }
    return jdbcUrl(name);
  }

  /** A connection to a database of this server, as the superuser. */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password);
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /** Stops the server (fast shutdown: open sessions are ended) and deletes its folder. */
  @Override
  public void close() {
    // The watchdog last: a JVM killed in the middle still has it stop the server.
    process
        .handle()
        .ifPresent(
            server -> {
              CompletableFuture<ProcessHandle> exited = server.onExit();
              // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
              signal("INT", server.pid());
              try {
                exited.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
              } catch (TimeoutException | ExecutionException e) {
                process.stop();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.stop();
              }
            });
    process.forgetPidFile(folder);
    watchdog.stop();
    watchdog.forgetPidFile(folder);
    deleteFolder(folder);
  }

  private static LocalPostgres launch(
      Path bin, Path folder, ServerAccount account, int firstPort, String password) {
    int port = new PortAllocator(firstPort).next();
    List<String> command =
        account.command(
            List.of(
                bin.resolve("postgres").toString(),
                "-D",
                folder.resolve("data").toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                // TCP only: no socket file in a system folder the server may not write.
                "-c",
                "unix_socket_directories=",
                // A test server: durability across power loss is not needed, speed on 2 cores is.
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "shared_buffers=16MB",
                "-c",
                "max_connections=50"));
    ComponentProcess process = ComponentProcess.launch(NAME, command, folder);
    // The watchdog stops the server when this JVM ends, even by SIGKILL; the folder is then removed
    // by the next start (removeLeftovers).
    ComponentProcess watchdog = Watchdog.watch(WATCHDOG, folder, List.of(NAME));
    LocalPostgres postgres = new LocalPostgres(folder, process, watchdog, port, password);
    try {
      postgres.awaitReady();
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
    return postgres;
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    SQLException last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw LocalSetupException.failed(
            "PostgreSQL exited while starting. Last lines of "
                + process.log()
                + ":\n"
                + process.logTail());
      }
      try (Connection ignored = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw LocalSetupException.failed("interrupted while waiting for PostgreSQL");
      }
    }
    throw LocalSetupException.failed(
        "PostgreSQL did not accept connections on 127.0.0.1:"
            + port
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s ("
            + (last == null ? "" : last.getMessage())
            + "); see "
            + process.log());
  }

  private static void initdb(Path bin, Path folder, ServerAccount account, String password) {
    Path passwordFile = folder.resolve("password");
    Path output = folder.resolve("initdb.log");
    try {
      Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      account.own(passwordFile);
      List<String> command =
          account.command(
              List.of(
                  bin.resolve("initdb").toString(),
                  "-D",
                  folder.resolve("data").toString(),
                  "-U",
                  SUPERUSER,
                  "--pwfile=" + passwordFile,
                  "--auth-local=trust",
                  "--auth-host=scram-sha-256",
                  "--encoding=UTF8",
                  "--locale=C",
                  "--no-sync",
                  "--no-instructions"));
      Process initdb =
          new ProcessBuilder(command)
              .directory(folder.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!initdb.waitFor(2, TimeUnit.MINUTES)) {
        initdb.destroyForcibly();
        throw LocalSetupException.failed("initdb did not finish within 2 minutes; see " + output);
      }
      if (initdb.exitValue() != 0) {
        throw LocalSetupException.failed(
            "initdb failed (exit " + initdb.exitValue() + "):\n" + LogTail.of(output));
      }
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "could not run initdb in " + folder + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LocalSetupException.failed("interrupted while running initdb");
    } finally {
      try {
        Files.deleteIfExists(passwordFile);
      } catch (IOException e) {
        log.warn("could not delete {}: {}", passwordFile, e.getMessage());
      }
    }
  }

  /**
   * The newest PostgreSQL installed by Debian's packages: {@code /usr/lib/postgresql/<major>/bin}.
   */
  static Path binaries() {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(INSTALL_ROOT)) {
      try (DirectoryStream<Path> versions = Files.newDirectoryStream(INSTALL_ROOT)) {
        for (Path version : versions) {
          Path bin = version.resolve("bin");
          if (version.getFileName().toString().matches("\\d+")
              && Files.isExecutable(bin.resolve("postgres"))
              && Files.isExecutable(bin.resolve("initdb"))) {
            found.add(bin);
          }
        }
      } catch (IOException e) {
        throw LocalSetupException.failed(
            "could not list " + INSTALL_ROOT + ": " + e.getMessage(), e);
      }
    }
    return found.stream()
        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getFileName().toString())))
        .orElseThrow(
            () ->
                LocalSetupException.failed(
                    "PostgreSQL is not installed (no "
                        + INSTALL_ROOT
                        + "/<version>/bin/postgres): install it with 'apt-get install postgresql'"
                        + " (scripts/install-deps does this)"));
  }

  private static Path newFolder(Path tmp) {
    try {
      Path folder = Files.createTempDirectory(tmp, FOLDER_PREFIX);
      ProcessHandle self = ProcessHandle.current();
      long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      Files.writeString(
          folder.resolve(OWNER_FILE), self.pid() + "\n" + started + "\n", StandardCharsets.UTF_8);
      return folder;
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "could not create a folder in " + tmp + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the folders of servers whose JVM died without closing them (their watchdog has stopped
   * the server by then, or the pid files let us stop it now).
   */
  private static void removeLeftovers(Path tmp) {
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, FOLDER_PREFIX + "*")) {
      for (Path folder : folders) {
        if (ownerIsAlive(folder)) {
          continue;
        }
        ComponentProcess.fromPidFiles(folder).forEach(ComponentProcess::stop);
        log.info("removing {}, left by a test JVM that ended without stopping it", folder);
        deleteFolder(folder);
      }
    } catch (IOException e) {
      log.warn("could not look for leftover PostgreSQL folders in {}: {}", tmp, e.getMessage());
    }
  }

  private static boolean ownerIsAlive(Path folder) {
    List<String> lines;
    try {
      lines = Files.readAllLines(folder.resolve(OWNER_FILE), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // No owner file yet: a JVM is creating it right now, or it is not ours to judge.
      return true;
    }
    if (lines.size() < 2 || !lines.get(0).matches("\\d+") || !lines.get(1).matches("\\d+")) {
      return true;
    }
    long started = Long.parseLong(lines.get(1));
    Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(lines.get(0)));
    return owner
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                started == 0
                    || h.info().startInstant().map(s -> s.toEpochMilli() == started).orElse(true))
        .isPresent();
  }

  private static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.warn("could not signal PostgreSQL (pid {}): {}", pid, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteFolder(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      log.warn("could not delete {}: {}", folder, e.getMessage());
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
