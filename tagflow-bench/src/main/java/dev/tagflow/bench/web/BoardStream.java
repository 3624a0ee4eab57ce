package dev.tagflow.bench.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * One open board, as a browser holds it: a session cookie, the board page loaded once, then {@code
 * /ui/board/events} read as a stream of server-sent events; each event is kept with the time its
 * data line arrived.
 */
final class BoardStream implements AutoCloseable {

  /** One server-sent event and when it arrived. */
  record Seen(String event, String data, Instant at) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile Stream<String> lines;

  private BoardStream(HttpClient http, String url, String cookie) throws Exception {
    HttpResponse<Stream<String>> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/ui/board/events"))
                .header("Cookie", cookie)
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("the board's event stream answered " + answer.statusCode());
    }
    lines = answer.body();
    reader = Thread.ofVirtual().name("board-stream").start(this::read);
  }

  /** Loads {@code /ui} with the session's cookie, as the page does, then opens its stream. */
  static BoardStream open(HttpClient http, String url, String cookie) throws Exception {
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/ui")).header("Cookie", cookie).build(),
            HttpResponse.BodyHandlers.ofString());
    if (page.statusCode() != 200) {
      throw new IllegalStateException("GET /ui answered " + page.statusCode());
    }
    return new BoardStream(http, url, cookie);
  }

  private void read() {
    String event = "message";
    try {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith("event:")) {
          event = line.substring("event:".length()).strip();
        } else if (line.startsWith("data:")) {
          seen.add(new Seen(event, line.substring("data:".length()).strip(), Instant.now()));
          synchronized (seen) {
            seen.notifyAll();
          }
        } else if (line.isEmpty()) {
          event = "message";
        }
      }
    } catch (RuntimeException closed) {
      // The stream ended: closed by the bench or by the server stopping.
    }
  }

  /** The first event named {@code event} that arrived after {@code after}, if one did. */
  Optional<Seen> first(String event, Instant after) {
    return seen.stream()
        .filter(s -> s.event().equals(event) && !s.at().isBefore(after))
        .findFirst();
  }

  /**
   * Waits up to {@code timeout} for {@link #first}, woken by each event the reader keeps (the time
   * measured is the reader's, so the wait adds nothing to it and no polling loads the machine).
   */
  Optional<Seen> await(String event, Instant after, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    synchronized (seen) {
      Optional<Seen> found = first(event, after);
      while (found.isEmpty()) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          return Optional.empty();
        }
        seen.wait(left);
        found = first(event, after);
      }
      return found;
    }
  }

  @Override
  public void close() throws IOException {
    lines.close();
    reader.interrupt();
  }
}
