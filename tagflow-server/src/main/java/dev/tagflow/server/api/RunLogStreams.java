package dev.tagflow.server.api;

import dev.tagflow.PlainJson;
import dev.tagflow.server.runlog.LogFormat;
import dev.tagflow.server.runlog.LogLine;
import dev.tagflow.server.runlog.RunLogFollower;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * Runs' logs followed live over server-sent events for the API: {@code log} events, one a line, in
 * plain text, whose id is the byte offset after the line (a client that reconnects with {@code
 * Last-Event-ID} gets only what it missed), heartbeat comments, then an {@code end} event with the
 * run's status as JSON. The following itself is {@link RunLogFollower}'s.
 */
final class RunLogStreams implements AutoCloseable {

  /** How often a followed log is read again, as {@code tagflow runs logs -f} does. */
  private static final Duration POLL = Duration.ofMillis(200);

  private final RunLogFollower follower;

  RunLogStreams(RunStore runs, int perOwner, Duration heartbeat) {
    this.follower =
        new RunLogFollower(runs, perOwner, Long.MAX_VALUE, POLL, heartbeat, new Plain());
  }

  /** Plain-text lines and a JSON end. */
  private record Plain() implements LogFormat {
    @Override
    public void lines(SseClient client, List<LogLine> lines) {
      for (LogLine line : lines) {
        client.sendEvent("log", line.text(), Long.toString(line.end()));
      }
    }

    @Override
    public void end(SseClient client, RunRecord run, Optional<RunRecord> now, long offset) {
      Map<String, Object> end = new LinkedHashMap<>();
      end.put("run", run.runId());
      end.put("status", now.map(RunView::status).orElse("gone"));
      end.put("finished", now.flatMap(RunRecord::finished).map(Object::toString).orElse(null));
      try {
        client.sendEvent("end", PlainJson.MAPPER.writeValueAsString(end), Long.toString(offset));
      } catch (JacksonException e) { // an IOException in Jackson 2, reported as one
        throw new UncheckedIOException(new IOException(e.getMessage(), e));
      }
    }
  }

  /**
   * Opens a stream of {@code run}'s log for {@code owner}: 406 unless the client asks for an event
   * stream, 400 for a {@code Last-Event-ID} that is no offset, 429 when the owner has {@code
   * perOwner} open, 503 once the server stops.
   */
  void open(Context ctx, String owner, RunRecord run) throws Exception {
    long from =
        RunLogFollower.resumeOffset(ctx.header("Last-Event-ID"))
            .orElseThrow(
                () ->
                    BadRequest.field(
                        "Last-Event-ID",
                        "Last-Event-ID is not a log offset",
                        "send back the id of the last event received, or none"));
    Optional<RunLogFollower.Refusal> refused = follower.follow(ctx, owner, run, from);
    if (refused.isEmpty()) {
      return;
    }
    throw switch (refused.get()) {
      case NOT_AN_EVENT_STREAM ->
          new BadRequest(
              406,
              "not_acceptable",
              "follow=true answers an event stream",
              Optional.empty(),
              "send 'Accept: text/event-stream' (EventSource does), or leave follow out for the"
                  + " log as text");
      case STOPPING ->
          new BadRequest(
              503, "unavailable", "the server is stopping", Optional.empty(), "try again later");
      case TOO_MANY ->
          new BadRequest(
              429,
              "too_many_streams",
              "at most " + follower.perOwner() + " followed logs are open per session or token",
              Optional.empty(),
              "close another one first");
    };
  }

  @Override
  public void close() {
    follower.close();
  }
}
