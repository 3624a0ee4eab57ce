package dev.tagflow.bench.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagflow.cli.ServerJvmOptions;
import java.io.IOException;
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

/**
 * A real {@code tagflow server} process (this class path, the JVM options {@code ./tagflow server}
 * passes): the Git server the fleet's repository is on, and for Tagflow's turn the controller under
 * measurement.
 */
final class TagflowServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path data;
  private final Path err;
  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();

  private TagflowServerProcess(Process process, Path data, Path err, String url) {
    this.process = process;
    this.data = data;
    this.err = err;
    this.url = url;
  }

  /**
   * Starts the server and waits until it listens.
   *
   * @param arguments after {@code server --data-dir <data> --port <port>}
   */
  static TagflowServerProcess start(Path data, int port, List<String> arguments, String logName)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // The options ./tagflow starts the server with, then the bench's own.
    command.addAll(ServerJvmOptions.read());
    // -Dbench.tagflow.jvm="-XX:StartFlightRecording=..." adds options when looking into a turn.
    String extra = System.getProperty("bench.tagflow.jvm", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.tagflow.cli.Main",
            "server",
            "--data-dir",
            data.toString(),
            "--port",
            Integer.toString(port)));
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
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("tagflow server ended:\n" + Files.readString(err));
      }
      Matcher matcher = LISTENING.matcher(Files.readString(out).substring(skip));
      if (matcher.find()) {
        return new TagflowServerProcess(process, data, err, matcher.group(1));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("tagflow server did not listen within 2 minutes; see " + err);
  }

  String url() {
    return url;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Every application's summary from {@code GET /api/v1/applications}, page by page, with the admin
   * token the server made at its first start.
   */
  List<JsonNode> applications() throws IOException, InterruptedException {
    String token = Files.readString(data.resolve("admin-token")).strip();
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
      JsonNode page = JSON.readTree(answer.body());
      page.get("items").forEach(all::add);
      after = page.path("next").isTextual() ? page.get("next").asText() : null;
    } while (after != null);
    return all;
  }

  void requireAlive() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("tagflow server ended:\n" + Files.readString(err));
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
  }
}
