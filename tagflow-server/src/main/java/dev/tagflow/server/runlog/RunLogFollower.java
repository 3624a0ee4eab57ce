package dev.tagflow.server.runlog;

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
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows runs' log files over server-sent events: the log from an offset, then each new whole line
 * as the run writes it, a heartbeat comment when nothing was sent for a while, and the end once the
 * run ended and every line was sent. The follow runs inside the SSE handler; {@link #close()} ends
 * and waits for every follow, so it must run before the HTTP server stops.
 */
public final class RunLogFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunLogFollower.class);

  /** The most bytes read from a log at once: a huge log is sent in slices. */
  static final int SLICE = 1024 * 1024;

  /** The longest line sent; longer lines are cut, saying so. */
  public static final int MAX_LINE_CHARS = 64 * 1024;

  /** How long {@link #close()} waits for each follow to end. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /** Why a follow was not started. */
  public enum Refusal {
    /** The client did not ask for {@code text/event-stream}. */
    NOT_AN_EVENT_STREAM,
    /** The server is stopping. */
    STOPPING,
    /** The owner has its {@code perOwner} streams open already. */
    TOO_MANY
  }

  private final RunStore runs;
  private final StreamQuota quota;
  private final long firstBytes;
  private final Duration every;
  private final Duration heartbeat;
  private final LogFormat format;
  private volatile boolean closed;

  /** The threads following a log now: interrupted and waited for at close. */
  private final Set<Thread> following = ConcurrentHashMap.newKeySet();

  /**
   * @param perOwner the most streams one session or token follows at once
   * @param firstBytes the most of a log sent when following from its start: the tail of a longer
   *     one, after a note line
   * @param every how often a running run's log is read again
   * @param heartbeat after how long without an event a heartbeat comment is sent
   */
  public RunLogFollower(
      RunStore runs,
      int perOwner,
      long firstBytes,
      Duration every,
      Duration heartbeat,
      LogFormat format) {
    this.runs = runs;
    this.quota = new StreamQuota(perOwner);
    this.firstBytes = firstBytes;
    this.every = every;
    this.heartbeat = heartbeat;
    this.format = format;
  }

  public int perOwner() {
    return quota.perOwner();
  }

  /**
   * Follows {@code run}'s log from byte {@code from} for {@code owner} until the run ended, the
   * client left or the server stops; returns why it did not, without answering the request then.
   */
  public Optional<Refusal> follow(Context ctx, String owner, RunRecord run, long from)
      throws Exception {
    if (!asksForEvents(ctx)) {
      return Optional.of(Refusal.NOT_AN_EVENT_STREAM);
    }
    if (closed) {
      return Optional.of(Refusal.STOPPING);
    }
    if (!quota.take(owner)) {
      return Optional.of(Refusal.TOO_MANY);
    }
    // Given back once, whichever comes first: the client leaving, or the follow ending.
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
                following.add(Thread.currentThread());
                try {
                  client.sendComment("log of run " + run.runId());
                  send(client, run, from);
                } catch (RuntimeException e) {
                  log.info("run={} log stream ended: {}", run.runId(), e.toString());
                } finally {
                  following.remove(Thread.currentThread());
                  release.run();
                  log.debug("run={} log follow ended", run.runId());
                }
              })
          .handle(ctx);
    } catch (Exception | Error e) {
      release.run();
      throw e;
    }
    return Optional.empty();
  }

  /** Whether the request accepts {@code text/event-stream}, as EventSource sends. */
  public static boolean asksForEvents(Context ctx) {
    return Optional.ofNullable(ctx.header("Accept")).orElse("").contains("text/event-stream");
  }

  private void send(SseClient client, RunRecord first, long from) {
    Path file = Path.of(first.log());
    long offset = from;
    boolean midLine = false;
    long size = size(file);
    if (offset == 0 && size > firstBytes) {
      offset = size - firstBytes;
      midLine = true;
      String note =
          "… the first "
              + (offset / 1024)
              + " KiB of this log are not shown here: tagflow runs logs "
              + first.runId()
              + " prints all of it";
      format.lines(client, List.of(new LogLine(note, 0)));
    }
    long lastSent = System.nanoTime();
    while (!closed && !client.terminated()) {
      // The status before the file: what the run wrote before it ended is then sent too.
      Optional<RunRecord> now = runs.get(first.runId());
      boolean ended = now.map(r -> r.status().isEnded()).orElse(true);
      Read read = read(file, offset, midLine, ended);
      if (read.end() > offset) {
        offset = read.end();
        midLine = false;
        if (!read.lines().isEmpty()) {
          format.lines(client, read.lines());
          lastSent = System.nanoTime();
        }
        // More may be there already: read again before waiting.
        continue;
      }
      if (ended) {
        format.end(client, first, now, offset);
        log.debug("run={} log sent to its end", first.runId());
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
  record Read(List<LogLine> lines, long end) {}

  /**
   * The whole lines after {@code offset}, at most {@link #SLICE} bytes (a line longer than that is
   * sent in slices); with {@code ended}, a last line without its line break too (the run will not
   * finish it). With {@code midLine}, what precedes the first line break is skipped (a tail that
   * starts inside a line). Lines longer than {@link #MAX_LINE_CHARS} are cut, saying so.
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
      byte[] bytes = new byte[(int) Math.min(length - offset, SLICE)];
      in.seek(offset);
      in.readFully(bytes);
      boolean last = offset + bytes.length == length;
      List<LogLine> lines = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          lines.add(line(bytes, start, i, offset + i + 1));
          start = i + 1;
        }
      }
      // A partial last line waits for its end, unless the run ended or it fills a whole slice.
      if (start < bytes.length && ((ended && last) || (start == 0 && bytes.length == SLICE))) {
        lines.add(line(bytes, start, bytes.length, offset + bytes.length));
        start = bytes.length;
      }
      if (midLine && !lines.isEmpty()) {
        lines.removeFirst();
      }
      return new Read(lines, offset + start);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the run's log " + file, e);
    }
  }

  private static LogLine line(byte[] bytes, int start, int end, long offset) {
    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8).replace("\r", "");
    if (text.length() > MAX_LINE_CHARS) {
      text = text.substring(0, MAX_LINE_CHARS) + "…(line cut at " + MAX_LINE_CHARS + " characters)";
    }
    return new LogLine(text, offset);
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of the run's log " + file, e);
    }
  }

  /**
   * The offset a {@code Last-Event-ID} resumes from: 0 without one, empty when it is not an offset
   * this follower sent.
   */
  public static OptionalLong resumeOffset(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return OptionalLong.of(0);
    }
    String id = lastEventId.strip();
    return id.matches("[0-9]{1,15}") ? OptionalLong.of(Long.parseLong(id)) : OptionalLong.empty();
  }

  /**
   * Ends every follow and waits (a little) for its handler to return: a handler still running when
   * the HTTP server stops finishes on a recycled request, which Javalin then fails to answer in a
   * loop.
   */
  @Override
  public void close() {
    closed = true;
    List<Thread> followers = List.copyOf(following);
    followers.forEach(Thread::interrupt);
    try {
      for (Thread follower : followers) {
        follower.join(CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
