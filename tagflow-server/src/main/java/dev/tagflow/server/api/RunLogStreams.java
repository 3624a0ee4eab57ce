package dev.tagflow.server.api;

import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs' logs followed live over server-sent events: the log so far, then each new line as the run
 * writes it ({@code log} events whose id is the byte offset after the line, so a client that
 * reconnects with {@code Last-Event-ID} gets only what it missed), a heartbeat comment when nothing
 * was sent for a while, and an {@code end} event with the run's status once it has ended, after
 * which the stream closes. A bounded number of streams per session or token; all closed when the
 * server stops.
 */
final class RunLogStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunLogStreams.class);

  /** How often a followed log is read again, as {@code tagflow runs logs -f} does. */
  private static final Duration POLL = Duration.ofMillis(200);

  /** The most bytes read from the log at once: a huge log is sent in slices. */
  private static final int SLICE = 1024 * 1024;

  /** The longest line sent as one event; longer lines are cut, saying so. */
  static final int MAX_LINE_CHARS = 64 * 1024;

  private record Stream(String owner, SseClient client) {}

  private final RunStore runs;
  private final int perOwner;
  private final Duration heartbeat;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final ExecutorService followers = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean closed;

  RunLogStreams(RunStore runs, int perOwner, Duration heartbeat) {
    this.runs = runs;
    this.perOwner = perOwner;
    this.heartbeat = heartbeat;
  }

  /**
   * Opens a stream of {@code run}'s log for {@code owner}: 406 unless the client asks for an event
   * stream, 429 when the owner has {@code perOwner} open, 503 once the server stops.
   */
  void open(Context ctx, String owner, RunRecord run) throws Exception {
    String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
    if (!accept.contains("text/event-stream")) {
      throw new BadRequest(
          406,
          "not_acceptable",
          "follow=true answers an event stream",
          Optional.empty(),
          "send 'Accept: text/event-stream' (EventSource does), or leave follow out for the log"
              + " as text");
    }
    if (closed) {
      throw new BadRequest(
          503, "unavailable", "the server is stopping", Optional.empty(), "try again later");
    }
    long from = resumeFrom(ctx.header("Last-Event-ID"));
    AtomicInteger count = counts.computeIfAbsent(owner, o -> new AtomicInteger());
    if (count.incrementAndGet() > perOwner) {
      count.decrementAndGet();
      throw new BadRequest(
          429,
          "too_many_streams",
          "at most " + perOwner + " followed logs are open per session or token",
          Optional.empty(),
          "close another one first");
    }
    new SseHandler(
            client -> {
              Stream stream = new Stream(owner, client);
              streams.add(stream);
              client.onClose(
                  () -> {
                    if (streams.remove(stream)) {
                      counts.get(owner).decrementAndGet();
                    }
                  });
              client.keepAlive();
              client.sendComment("log of run " + run.runId());
              followers.execute(() -> follow(client, run, from));
            })
        .handle(ctx);
  }

  private static long resumeFrom(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(lastEventId.strip()));
    } catch (NumberFormatException e) {
      throw BadRequest.field(
          "Last-Event-ID",
          "Last-Event-ID is not a log offset",
          "send back the id of the last event received, or none");
    }
  }

  private void follow(SseClient client, RunRecord run, long from) {
    Path file = Path.of(run.log());
    long offset = from;
    long quietSince = System.nanoTime();
    try {
      while (!closed && !client.terminated()) {
        // The status before the file: what the run wrote before it ended is then sent.
        Optional<RunRecord> now = runs.get(run.runId());
        boolean ended = now.map(r -> r.status().isEnded()).orElse(true);
        long before = offset;
        offset = send(client, file, offset, ended);
        if (offset != before) {
          quietSince = System.nanoTime();
        }
        if (ended) {
          Map<String, Object> end = new LinkedHashMap<>();
          end.put("run", run.runId());
          end.put("status", now.map(RunView::status).orElse("gone"));
          end.put("finished", now.flatMap(RunRecord::finished).map(Object::toString).orElse(null));
          client.sendEvent("end", RunView.JSON.writeValueAsString(end), Long.toString(offset));
          break;
        }
        if (System.nanoTime() - quietSince >= heartbeat.toNanos()) {
          client.sendComment("heartbeat");
          quietSince = System.nanoTime();
        }
        Thread.sleep(POLL);
      }
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.info("run={} log stream ended: {}", run.runId(), e.toString());
    } finally {
      client.close();
    }
  }

  /**
   * Sends the whole lines written after {@code offset} (and, once the run ended, a last line
   * without its newline); returns where what was sent ends.
   */
  private static long send(SseClient client, Path file, long offset, boolean ended)
      throws IOException {
    if (!Files.exists(file)) {
      return offset;
    }
    while (true) {
      byte[] bytes;
      boolean last;
      try (RandomAccessFile read = new RandomAccessFile(file.toFile(), "r")) {
        long length = read.length();
        if (length <= offset) {
          return offset;
        }
        bytes = new byte[(int) Math.min(length - offset, SLICE)];
        read.seek(offset);
        read.readFully(bytes);
        last = offset + bytes.length == length;
      }
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          offset += i - start + 1;
          line(client, bytes, start, i, offset);
          start = i + 1;
        }
      }
      boolean tail = start < bytes.length;
      // The run's last line without a newline, or a line longer than a whole slice.
      if (tail && ((ended && last) || start == 0)) {
        offset += bytes.length - start;
        line(client, bytes, start, bytes.length, offset);
      }
      if (last) {
        return offset;
      }
    }
  }

  /** Sends bytes {@code [start, end)} as one line whose event id is {@code offset}. */
  private static void line(SseClient client, byte[] bytes, int start, int end, long offset) {
    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8).replace("\r", "");
    if (text.length() > MAX_LINE_CHARS) {
      text = text.substring(0, MAX_LINE_CHARS) + "…(line cut at " + MAX_LINE_CHARS + " characters)";
    }
    client.sendEvent("log", text, Long.toString(offset));
  }

  @Override
  public void close() {
    closed = true;
    followers.shutdownNow();
    for (Stream stream : List.copyOf(streams)) {
      stream.client().close();
    }
  }
}
