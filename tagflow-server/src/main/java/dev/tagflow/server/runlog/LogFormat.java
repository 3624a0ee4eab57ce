package dev.tagflow.server.runlog;

import dev.tagflow.store.RunRecord;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.Optional;

/** How one route renders a followed log: the only part in which the API and the UI differ. */
public interface LogFormat {

  /** Sends lines read together (at least one); an event id is a line's {@link LogLine#end()}. */
  void lines(SseClient client, List<LogLine> lines);

  /**
   * Sends the end once the run ended and all of its log was sent.
   *
   * @param now the run as it ended; empty when it was deleted meanwhile
   * @param offset where the log ends
   */
  void end(SseClient client, RunRecord run, Optional<RunRecord> now, long offset);
}
