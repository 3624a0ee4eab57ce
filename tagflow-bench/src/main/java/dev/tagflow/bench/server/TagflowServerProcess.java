package dev.tagflow.bench.server;

import dev.tagflow.PlainJson;
import dev.tagflow.cli.ServerJvmOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A real {@code tagflow server} process for a bench: the jar {@code ./tagflow} runs (or this class
 * path, see {@link #source()}), the JVM options {@code ./tagflow server} passes, a data directory
 * of its own, its output in {@code <name>.out} and {@code <name>.err} beside that directory (the
 * log lines go to {@code .err}). A shutdown hook stops it if the bench is interrupted.
 */
public final class TagflowServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Duration LISTEN_WITHIN = Duration.ofMinutes(10);

  private final Process process;
  private final Path data;
  private final Path err;
  private final String url;
  private final Thread stopOnExit;
  private final HttpClient http = HttpClient.newHttpClient();

  private TagflowServerProcess(Process process, Path data, Path err, String url, Thread stop) {
    this.process = process;
    this.data = data;
    this.err = err;
    this.url = url;
    this.stopOnExit = stop;
  }

  /**
   * Starts {@code tagflow server --data-dir <data> <arguments>} and waits until it listens.
   *
   * @param arguments the rest of the command line: {@code --port}, {@code --config}, …
   * @param logName the output files' name; a restart with the same name appends to them
   */
  public static TagflowServerProcess start(Path data, List<String> arguments, String logName)
      throws IOException, InterruptedException {
    return start(data, arguments, logName, List.of());
  }

  /** As {@link #start(Path, List, String)}, with options for the server's JVM after its own. */
  public static TagflowServerProcess start(
      Path data, List<String> arguments, String logName, List<String> jvmOptions)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The options ./tagflow starts the server with, then the bench's own.
    command.addAll(ServerJvmOptions.read());
    command.addAll(jvmOptions);
    // -Dbench.tagflow.jvm="-XX:StartFlightRecording=..." adds options when looking into a turn.
    String extra = System.getProperty("bench.tagflow.jvm", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(launch());
    command.addAll(List.of("server", "--data-dir", data.toString()));
    command.addAll(arguments);
    Path out = data.resolveSibling(logName + ".out");
    Path err = data.resolveSibling(logName + ".err");
    // A restart appends to the same log: only what this start writes is looked at.
    int skip = Files.exists(out) ? Files.readString(out).length() : 0;
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
            .start();
    Thread stop = new Thread(process::destroy, "stop-" + logName);
    Runtime.getRuntime().addShutdownHook(stop);
    // Generous: a server given 1,000 Application files registers them all before it listens.
    Instant deadline = Instant.now().plus(LISTEN_WITHIN);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        Runtime.getRuntime().removeShutdownHook(stop);
        throw new IllegalStateException("tagflow server ended:\n" + Files.readString(err));
      }
      Matcher matcher = LISTENING.matcher(Files.readString(out).substring(skip));
      if (matcher.find()) {
        return new TagflowServerProcess(process, data, err, matcher.group(1), stop);
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    Runtime.getRuntime().removeShutdownHook(stop);
    throw new IllegalStateException(
        "tagflow server did not listen within "
            + LISTEN_WITHIN.toMinutes()
            + " minutes; see "
            + err);
  }

  /**
   * What the server runs from, for a bench's first line: the jar {@code ./tagflow} runs when {@code
   * -Dbench.tagflow.jar} names it (scripts/bench does), else this class path.
   */
  public static String source() {
    String jar = jar();
    return jar.isEmpty() ? "this class path" : jar;
  }

  private static String jar() {
    return System.getProperty("bench.tagflow.jar", "").strip();
  }

  private static List<String> launch() {
    String jar = jar();
    if (jar.isEmpty()) {
      return List.of("-cp", System.getProperty("java.class.path"), "dev.tagflow.cli.Main");
    }
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalArgumentException(
          "-Dbench.tagflow.jar=" + jar + " is not a file; build it with 'make bench'");
    }
    return List.of("-jar", jar);
  }

  /** Where it listens, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  public long pid() {
    return process.pid();
  }

  /** Its log (standard error), for {@code ServerLog} and error messages. */
  public Path log() {
    return err;
  }

  /** The admin token the server wrote at its first start. */
  public String adminToken() {
    try {
      return Files.readString(data.resolve("admin-token")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("the server wrote no admin token in " + data, e);
    }
  }

  /**
   * Every application's summary from {@code GET /api/v1/applications}, page by page, with the admin
   * token.
   */
  public List<JsonNode> applications() throws IOException, InterruptedException {
    String token = adminToken();
    List<JsonNode> all = new ArrayList<>();
    String after = null;
    do {
      String query =
          "?limit=500"
              + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/api/v1/applications" + query))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            "GET /api/v1/applications answered " + answer.statusCode() + ": " + answer.body());
      }
      JsonNode page = PlainJson.MAPPER.readTree(answer.body());
      page.get("items").forEach(all::add);
      after = page.path("next").isString() ? page.get("next").stringValue() : null;
    } while (after != null);
    return all;
  }

  /** Throws, with the server's log, if the process has ended. */
  public void requireAlive() {
    if (!process.isAlive()) {
      String log;
      try {
        log = Files.readString(err);
      } catch (IOException e) {
        log = "(no log: " + e + ")";
      }
      throw new IllegalStateException("tagflow server ended:\n" + log);
    }
  }

  /** SIGTERM, as a restart or a shutdown sends, and waits for the exit. */
  @Override
  public void close() throws InterruptedException {
    http.close();
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // Closed by the hook's own shutdown: nothing to remove.
    }
  }
}
