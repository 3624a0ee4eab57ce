package dev.tagflow.server.ui;

import dev.tagflow.server.runlog.LogFormat;
import dev.tagflow.server.runlog.LogLine;
import dev.tagflow.server.runlog.RunLogFollower;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A run's log followed over server-sent events for the web UI: {@code line} events, each the lines
 * read together as escaped HTML, their id the byte offset reached (a reconnecting EventSource
 * resumes where it was), the last {@link #FIRST_BYTES} of a longer log after a note, then an {@code
 * end} event with the run's summary. The following itself is {@link RunLogFollower}'s.
 */
final class RunLogEvents implements AutoCloseable {

  /** The most of a log sent at first: the tail of a longer one, with a note. */
  static final int FIRST_BYTES = 2 * 1024 * 1024;

  private final RunStore runs;
  private final RunLogFollower follower;

  /**
   * @param lines renders log lines as HTML (escaped), one element a line, no line break
   * @param summary renders the run's summary once it ended
   * @param every how often a running run's log is read again
   */
  RunLogEvents(
      RunStore runs,
      Function<List<String>, String> lines,
      Function<RunRecord, String> summary,
      int perOwner,
      Duration every,
      Duration heartbeat) {
    this.runs = runs;
    this.follower =
        new RunLogFollower(runs, perOwner, FIRST_BYTES, every, heartbeat, new Html(lines, summary));
  }

  /** A batch of lines as one event of HTML, the end as the rendered summary. */
  private record Html(Function<List<String>, String> lines, Function<RunRecord, String> summary)
      implements LogFormat {
    @Override
    public void lines(SseClient client, List<LogLine> batch) {
      client.sendEvent(
          "line",
          lines.apply(batch.stream().map(LogLine::text).toList()),
          Long.toString(batch.getLast().end()));
    }

    @Override
    public void end(SseClient client, RunRecord run, Optional<RunRecord> now, long offset) {
      client.sendEvent("end", summary.apply(now.orElse(run)), Long.toString(offset));
    }
  }

  /**
   * Follows run {@code runId} for {@code owner}: 406 unless the client asks for an event stream,
   * 404 for no such run, 429 when the owner has its streams open already, 503 once stopping.
   */
  void open(Context ctx, String owner, String runId) throws Exception {
    if (!RunLogFollower.asksForEvents(ctx)) {
      refuse(ctx, RunLogFollower.Refusal.NOT_AN_EVENT_STREAM);
      return;
    }
    Optional<RunRecord> found = runs.get(runId);
    if (found.isEmpty()) {
      ctx.status(404).result("there is no run " + runId);
      return;
    }
    // Anything but an offset sent here starts from the beginning.
    long from = RunLogFollower.resumeOffset(ctx.header("Last-Event-ID")).orElse(0);
    follower.follow(ctx, owner, found.get(), from).ifPresent(refused -> refuse(ctx, refused));
  }

  private void refuse(Context ctx, RunLogFollower.Refusal refused) {
    switch (refused) {
      case NOT_AN_EVENT_STREAM ->
          ctx.status(406)
              .result(
                  "this is a run's log stream: open it with EventSource (Accept:"
                      + " text/event-stream)");
      case STOPPING -> ctx.status(503).result("the server is stopping");
      case TOO_MANY ->
          ctx.status(429)
              .result(
                  "at most "
                      + follower.perOwner()
                      + " run logs per session are followed at once; close another tab of a"
                      + " run");
    }
  }

  /** Ends every stream and waits for them: before the HTTP server stops. */
  @Override
  public void close() {
    follower.close();
  }
}
