package dev.tagflow.server.pipeline;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the command line asks of the running server of its data directory (dispatch, rerun, cancel a
 * queued run): one JSON file per request in {@code <data-dir>/run-requests}, taken by the server
 * with an atomic rename, answered with a file beside it. A request no server takes is withdrawn by
 * the one who asked, so nothing is left to run later by surprise.
 */
public final class PipelineRequests {

  /** The folder of the data directory that holds the requests. */
  public static final String FOLDER = "run-requests";

  private static final String REQUEST = ".request.json";
  private static final String TAKEN = ".taken.json";
  private static final String ANSWER = ".answer.json";

  private final Path folder;

  public PipelineRequests(Path dataDir) {
    this.folder = dataDir.resolve(FOLDER);
  }

  /**
   * Asks the server and waits for its answer.
   *
   * @return the answer: {@code {"run": id}} or {@code {"error": message}}
   * @throws TagflowException when no server takes the request within {@code patience}
   */
  public JsonNode ask(ObjectNode request, Duration patience) throws InterruptedException {
    String id = UUID.randomUUID().toString();
    Path file = folder.resolve(id + REQUEST);
    Path answer = folder.resolve(id + ANSWER);
    try {
      Files.createDirectories(folder);
      Path partial = folder.resolve(id + ".partial");
      Files.writeString(partial, PlainJson.MAPPER.writeValueAsString(request));
      move(partial, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the request " + file, e);
    }
    long deadline = System.nanoTime() + patience.toNanos();
    boolean taken = false;
    while (true) {
      if (Files.exists(answer)) {
        try {
          JsonNode read = PlainJson.MAPPER.readTree(Files.readString(answer));
          Files.deleteIfExists(answer);
          return read;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the server's answer " + answer, e);
        } catch (JacksonException e) { // an IOException in Jackson 2, reported as one
          throw new UncheckedIOException(
              "cannot read the server's answer " + answer, new IOException(e.getMessage(), e));
        }
      }
      if (!taken && System.nanoTime() > deadline) {
        try {
          if (Files.deleteIfExists(file)) {
            throw TagflowException.failed(
                "no tagflow server of "
                    + folder.getParent()
                    + " took the request within "
                    + patience.toSeconds()
                    + "s; this runs in the server: start it (tagflow server --data-dir "
                    + folder.getParent()
                    + ") and ask again");
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot withdraw the request " + file, e);
        }
        taken = true; // the server took it just now: its answer comes
      }
      Thread.sleep(50);
    }
  }

  /**
   * Takes every waiting request and answers each with {@code handler}'s answer (a handler that
   * throws answers with its message).
   */
  public void serve(Function<JsonNode, ObjectNode> handler) {
    for (Path request : waiting()) {
      String id = request.getFileName().toString();
      id = id.substring(0, id.length() - REQUEST.length());
      Path taken = folder.resolve(id + TAKEN);
      try {
        move(request, taken);
      } catch (NoSuchFileException e) {
        continue; // withdrawn
      } catch (IOException e) {
        continue;
      }
      ObjectNode answer;
      try {
        answer = handler.apply(PlainJson.MAPPER.readTree(Files.readString(taken)));
      } catch (TagflowException e) {
        answer = PlainJson.MAPPER.createObjectNode().put("error", e.getMessage());
      } catch (IOException | RuntimeException e) {
        answer =
            PlainJson.MAPPER.createObjectNode().put("error", "the server could not do it: " + e);
      }
      try {
        Path partial = folder.resolve(id + ".answer.partial");
        Files.writeString(partial, PlainJson.MAPPER.writeValueAsString(answer));
        move(partial, folder.resolve(id + ANSWER));
        Files.deleteIfExists(taken);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot answer the request " + taken, e);
      }
    }
  }

  /**
   * Registers the requests' folder (made when missing) with a watch service: a request moved in
   * wakes it.
   */
  void watch(WatchService watcher) throws IOException {
    Files.createDirectories(folder);
    folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
  }

  private List<Path> waiting() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return new ArrayList<>(
          files.filter(f -> f.getFileName().toString().endsWith(REQUEST)).sorted().toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
