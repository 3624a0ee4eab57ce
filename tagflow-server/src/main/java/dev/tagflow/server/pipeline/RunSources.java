package dev.tagflow.server.pipeline;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Where a server run came from, noted in its directory for a rerun: mirror, URL and inputs. */
final class RunSources {

  private static final Logger log = LoggerFactory.getLogger(RunSources.class);

  /** The file in a run's directory naming the mirror the run read, for {@code runs rerun}. */
  static final String SOURCE_FILE = "source.txt";

  /** The file in a run's directory with its repository's URL and its inputs, for a rerun. */
  static final String REQUEST_FILE = "request.json";

  private final Function<String, Path> directories;

  /**
   * @param directories the directory of a run id
   */
  RunSources(Function<String, Path> directories) {
    this.directories = directories;
  }

  /** Notes, for a rerun, the mirror the run read, its repository's URL and its inputs. */
  void write(String runId, Path mirror, String url, Map<String, String> inputs) {
    try {
      Files.writeString(directories.apply(runId).resolve(SOURCE_FILE), mirror.toString());
      ObjectNode more = PlainJson.MAPPER.createObjectNode();
      more.put("url", url);
      ObjectNode given = more.putObject("inputs");
      inputs.forEach(given::put);
      Files.writeString(directories.apply(runId).resolve(REQUEST_FILE), more.toString());
    } catch (IOException e) {
      log.warn("run {}: cannot note its repository: {}", runId, e.toString());
    }
  }

  /** The mirror a run read; an error saying how to run it otherwise when it has none. */
  Path mirror(String runId) {
    Path file = directories.apply(runId).resolve(SOURCE_FILE);
    try {
      return Path.of(Files.readString(file).strip());
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "run "
              + runId
              + " has no "
              + file
              + ": it was not started by tagflow server, run it with tagflow workflow run");
    }
  }

  /** The repository URL a run read; its mirror's path when it has none noted. */
  String url(String runId) {
    String url = request(runId).path("url").asString("");
    return url.isEmpty() ? mirror(runId).toString() : url;
  }

  /** The inputs a run was given. */
  Map<String, String> inputs(String runId) {
    return inputsOf(request(runId));
  }

  /** The {@code inputs} object of a request, as strings. */
  static Map<String, String> inputsOf(JsonNode request) {
    Map<String, String> inputs = new LinkedHashMap<>();
    request
        .path("inputs")
        .properties()
        .forEach(e -> inputs.put(e.getKey(), NodeText.of(e.getValue())));
    return inputs;
  }

  private JsonNode request(String runId) {
    Path file = directories.apply(runId).resolve(REQUEST_FILE);
    try {
      return PlainJson.MAPPER.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      // Only dispatched runs have a request; a tag's or a branch's run has no inputs.
      return PlainJson.MAPPER.createObjectNode();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the request of run " + runId + " in " + file, e);
    } catch (JacksonException e) { // an IOException in Jackson 2, reported as one
      throw new UncheckedIOException(
          "cannot read the request of run " + runId + " in " + file,
          new IOException(e.getMessage(), e));
    }
  }
}
