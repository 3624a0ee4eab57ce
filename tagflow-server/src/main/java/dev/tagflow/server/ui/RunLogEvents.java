package dev.tagflow.server.ui;

import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's log followed over server-sent events: the log so far, then each new whole line as the run
 * writes it (events {@code line}, their id the byte offset reached, so a reconnecting EventSource
 * resumes where it was), then an {@code end} event with the run's summary once it ended and every
 * line was sent. The log is read as the runner wrote it, secrets already masked; a bounded number
 * of streams per session; all ended when the server stops.
 */
final class RunLogEvents implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunLogEvents.class);

  /** The most of a log sent at first: the tail of a longer one, with a note. */
  static final int FIRST_BYTES = 2 * 1024 * 1024;

  /** The most sent in one event. */
  static final int CHUNK_BYTES = 64 * 1024;

  private final RunStore runs;
  private final Function<List<String>, String> lines;
  private final Function<RunRecord, String> summary;
  private final StreamQuota quota;
  private final Duration every;
  private final Duration heartbeat;
  private volatile boolean closed;

  /**
   * @param lines renders log lines as HTML (escaped), one element a line, no line break
   * @param summary renders the run's summary once it ended
   * @param every how often a running run's log is read again
   */
  RunLogEvents(
      RunStore runs,
      Function<List<String>, String> lines,
      Function<RunRecord, String> summary,
      StreamQuota quota,
      Duration every,
      Duration heartbeat) {
    this.runs = runs;
    this.lines = lines;
    this.summary = summary;
    this.quota = quota;
    this.every = every;
    this.heartbeat = heartbeat;
  }

  /**
   * Follows run {@code runId} for {@code owner}: 406 unless the client asks for an event stream,
   * 404 for no such run, 429 when the owner has its streams open already, 503 once stopping.
   */
  void open(Context ctx, String owner, String runId) throws Exception {
    String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
    if (!accept.contains("text/event-stream")) {
      ctx.status(406)
          .result(
              "this is a run's log stream: open it with EventSource (Accept: text/event-stream)");
      return;
    }
    if (closed) {
      ctx.status(503).result("the server is stopping");
      return;
    }
    Optional<RunRecord> found = runs.get(runId);
    if (found.isEmpty()) {
      ctx.status(404).result("there is no run " + runId);
      return;
    }
    if (!quota.take(owner)) {
      ctx.status(429)
          .result(
              "at most "
                  + quota.perOwner()
                  + " run logs per session are followed at once; close another tab of a run");
      return;
    }
    long resume = resumeOffset(ctx.header("Last-Event-ID"));
    // Given back once, whichever comes first: the client leaving, or the log sent to its end.
    AtomicBoolean held = new AtomicBoolean(true);
    Runnable release =
        () -> {
          if (held.compareAndSet(true, false)) {
            quota.release(owner);
          }
        };
    try {
      new SseHandler(
              client -> {
                client.onClose(release);
                try {
                  follow(client, found.get(), resume);
                } finally {
                  release.run();
                }
              })
          .handle(ctx);
    } catch (Exception | Error e) {
      release.run();
      throw e;
    }
  }

  /** Sends the log from {@code offset} on until the run ended and all of it was sent. */
  private void follow(SseClient client, RunRecord first, long from) {
    Path file = Path.of(first.log());
    long offset = from;
    boolean midLine = false;
    if (offset == 0 && size(file) > FIRST_BYTES) {
      offset = size(file) - FIRST_BYTES;
      midLine = true;
      client.sendEvent(
          "line",
          lines.apply(
              List.of(
                  "… the first "
                      + (offset / 1024)
                      + " KiB of this log are not shown here: tagflow runs logs "
                      + first.runId()
                      + " prints all of it")),
          "0");
    }
    long lastSent = System.nanoTime();
    while (!closed && !client.terminated()) {
      // The status before the file: what the run wrote before it ended is then sent too.
      Optional<RunRecord> now = runs.get(first.runId());
      boolean ended = now.map(r -> r.status().isEnded()).orElse(true);
      Read read = read(file, offset, midLine, ended);
      midLine = false;
      if (read.end() > offset) {
        offset = read.end();
        if (!read.lines().isEmpty()) {
          client.sendEvent("line", lines.apply(read.lines()), Long.toString(offset));
          lastSent = System.nanoTime();
        }
        // More may be there already: read again before waiting.
        continue;
      }
      if (ended) {
        client.sendEvent("end", summary.apply(now.orElse(first)), Long.toString(offset));
        log.debug("log of run {} sent to its end", first.runId());
        return;
      }
      if (System.nanoTime() - lastSent > heartbeat.toNanos()) {
        client.sendComment("heartbeat");
        lastSent = System.nanoTime();
      }
      try {
        Thread.sleep(every);
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Whole lines read from a log and the offset they end at. */
  record Read(List<String> lines, long end) {}

  /**
   * The whole lines after {@code offset}, at most {@link #CHUNK_BYTES} (a longer line is cut
   * there); with {@code ended}, a last line without its line break too (the run will not finish
   * it). With {@code midLine}, what precedes the first line break is skipped (a tail that starts
   * inside a line).
   */
  static Read read(Path file, long offset, boolean midLine, boolean ended) {
    if (!Files.exists(file)) {
      return new Read(List.of(), offset);
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length <= offset) {
        return new Read(List.of(), offset);
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, CHUNK_BYTES)];
      in.seek(offset);
      in.readFully(bytes);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      if (end == 0 || ended && offset + bytes.length == length) {
        // A partial last line: wait for its end, unless the run ended or it fills a whole chunk.
        if (!ended && bytes.length < CHUNK_BYTES) {
          return new Read(List.of(), offset);
        }
        end = bytes.length;
      }
      List<String> lines =
          new ArrayList<>(
              List.of(new String(bytes, 0, end, StandardCharsets.UTF_8).split("\r?\n", -1)));
      if (lines.getLast().isEmpty()) {
        lines.removeLast();
      }
      if (midLine && !lines.isEmpty()) {
        lines.removeFirst();
      }
      return new Read(lines, offset + end);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the run's log " + file, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of the run's log " + file, e);
    }
  }

  /** A Last-Event-ID is the byte offset last sent; anything else starts from the beginning. */
  static long resumeOffset(String lastEventId) {
    if (lastEventId == null || !lastEventId.matches("[0-9]{1,15}")) {
      return 0;
    }
    return Long.parseLong(lastEventId);
  }

  @Override
  public void close() {
    closed = true;
  }
}
