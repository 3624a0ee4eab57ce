package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code tagflow server} process for a release-flow test: a data directory in the test's folder
 * whose Git server hosts the repositories made with {@link #host}, a person's token for pushing, no
 * cluster; its output kept in the folder. Also runs {@code tagflow} verbs against its data
 * directory, as a person on the same host does.
 */
final class ServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+)");

  private final Path folder;
  private final Path data;
  private final String token;
  private final Path tokens;
  private final HostedRepositories hosted;
  private Process process;
  private String url;

  /** The output of a {@code tagflow} verb run as a process. */
  record Result(int exit, String out, String err) {}

  ServerProcess(Path folder, String token) throws IOException {
    this.folder = folder;
    this.data = Files.createDirectories(folder.resolve("data"));
    this.token = token;
    this.tokens = Files.writeString(folder.resolve("tokens"), token + "\n");
    this.hosted = new HostedRepositories(data.resolve("git"));
  }

  /** Makes a repository on the server's Git server (before or after it starts); its bare folder. */
  Path host(String name) {
    return hosted.create(name).directory();
  }

  /** Starts the server and waits until it listens; its URL. */
  String start() throws Exception {
    return start(folder.resolve("no-cluster"), List.of());
  }

  /**
   * Starts the server with a cluster ({@code kubeconfig}) and more of {@code tagflow server}'s
   * options ({@code --apps}, {@code --config}, {@code --tls-cert-file}, …), and waits until it
   * listens; its URL.
   */
  String start(Path kubeconfig, List<String> more) throws Exception {
    Path out = folder.resolve("server.out");
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--data-dir",
                data.toString(),
                "--port",
                "0",
                "--git-token-file",
                tokens.toString(),
                "--kubeconfig",
                kubeconfig.toString()));
    if (!more.contains("--poll-interval")) {
      args.addAll(List.of("--poll-interval", "10m"));
    }
    args.addAll(more);
    process = TagflowProcess.of(args, out, err()).start();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> LISTENING.matcher(Files.readString(out)).find() || !process.isAlive());
    assertAlive();
    Matcher matcher = LISTENING.matcher(Files.readString(out));
    assertThat(matcher.find()).isTrue();
    url = matcher.group(1);
    return url;
  }

  /** Stops the server as a person does (SIGTERM), waiting for it to end. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** {@code <server>/git/<name>.git}, without credentials: what the server's own steps use. */
  String repositoryUrl(String name) {
    return url + "/git/" + name + ".git";
  }

  /** The same URL with the person's token, for {@code git push}. */
  String pushUrl(String name) {
    return repositoryUrl(name).replace("http://", "http://tagflow:" + token + "@");
  }

  Path data() {
    return data;
  }

  Path tokenFile() {
    return tokens;
  }

  String token() {
    return token;
  }

  Path out() {
    return folder.resolve("server.out");
  }

  Path err() {
    return folder.resolve("server.err");
  }

  /** Fails the test with the server's log when the process has ended. */
  void assertAlive() {
    assertThat(process.isAlive()).as(read(err())).isTrue();
  }

  /** The runs of {@code ref}, once {@code count} of them have ended (the server still alive). */
  List<RunRecord> awaitRuns(String ref, int count) {
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !process.isAlive() || ended(store, ref).size() >= count);
      assertAlive();
      return ended(store, ref);
    }
  }

  /** The one run of {@code ref}, once it has ended. */
  RunRecord awaitRun(String ref) {
    List<RunRecord> runs = awaitRuns(ref, 1);
    assertThat(runs).hasSize(1);
    return runs.getFirst();
  }

  private static List<RunRecord> ended(Store store, String ref) {
    return store.runs().latest(100).stream()
        .filter(r -> r.ref().equals(ref) && r.status().isEnded())
        .toList();
  }

  /** {@code tagflow args… --data-dir <the server's>} as a process of its own. */
  Result tagflow(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(args));
    command.add("--data-dir");
    command.add(data.toString());
    Path out = Files.createTempFile(folder, "cli", ".out");
    Path err = Files.createTempFile(folder, "cli", ".err");
    Process cli = TagflowProcess.of(command, out, err).start();
    assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
    return new Result(cli.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
