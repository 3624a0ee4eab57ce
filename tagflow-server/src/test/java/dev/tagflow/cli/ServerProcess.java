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

/**
 * A {@code tagflow server} process for a test: a data directory in the test's folder whose Git
 * server hosts the repositories made with {@link #host}, a person's token for pushing, no cluster;
 * the output of each start kept in the folder. It can be killed, stopped and started again on the
 * same data directory. Also runs {@code tagflow} verbs against its data directory, as a person on
 * the same host does.
 */
final class ServerProcess implements AutoCloseable {

  private final Path folder;
  private final Path data;
  private final String token;
  private final Path tokens;
  private final HostedRepositories hosted;
  private final List<String> options = new ArrayList<>();
  private final List<Path> outputs = new ArrayList<>();
  private Path kubeconfig;
  private Process process;
  private String url;
  private int starts;

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

  /** The cluster the server deploys to, for the starts to come (none by default). */
  ServerProcess withCluster(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    return this;
  }

  /** Adds options to the server's command line ({@code --max-runs 1}), for the starts to come. */
  ServerProcess with(String... more) {
    options.addAll(List.of(more));
    return this;
  }

  /**
   * Starts the server and waits until it listens; its URL. Each start writes files of its own:
   * {@code server.out} and {@code server.err}, then {@code server-2.out}…
   */
  String start() throws Exception {
    Process started = launch();
    url = TagflowProcess.listening(started, out(), err()).toString();
    return url;
  }

  /**
   * Starts a server that cannot start (its store unreachable…) and waits for it to exit.
   *
   * @return its exit code and output
   */
  Result startToExit() throws Exception {
    Process failing = launch();
    assertThat(failing.waitFor(120, TimeUnit.SECONDS)).as("the server exits").isTrue();
    return new Result(failing.exitValue(), read(out()), read(err()));
  }

  private Process launch() throws IOException {
    starts++;
    List<String> command =
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
                (kubeconfig != null ? kubeconfig : folder.resolve("no-cluster")).toString()));
    if (!options.contains("--poll-interval")) {
      command.addAll(List.of("--poll-interval", "10m"));
    }
    command.addAll(options);
    outputs.add(out());
    outputs.add(err());
    process = TagflowProcess.of(command, out(), err()).start();
    return process;
  }

  /** SIGKILL, as a crash: no shutdown hook runs, nothing kills the steps. Waits for the exit. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed server exits").isTrue();
  }

  /** SIGTERM, as a stop: the shutdown hook runs. Waits for the exit. */
  void stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the stopped server exits").isTrue();
  }

  boolean alive() {
    return process != null && process.isAlive();
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

  /** The standard output of the latest start. */
  Path out() {
    return folder.resolve(starts <= 1 ? "server.out" : "server-" + starts + ".out");
  }

  /** The standard error (its log) of the latest start. */
  Path err() {
    return folder.resolve(starts <= 1 ? "server.err" : "server-" + starts + ".err");
  }

  /** The standard output of every start, in order. */
  String allOut() {
    return all(".out");
  }

  /** The standard error (the log) of every start, in order. */
  String allErr() {
    return all(".err");
  }

  private String all(String suffix) {
    StringBuilder text = new StringBuilder();
    outputs.stream().filter(f -> f.toString().endsWith(suffix)).forEach(f -> text.append(read(f)));
    return text.toString();
  }

  /** Fails the test with the server's log when the process has ended. */
  void assertAlive() {
    assertThat(alive()).as(read(err())).isTrue();
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
    assertThat(cli.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
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
