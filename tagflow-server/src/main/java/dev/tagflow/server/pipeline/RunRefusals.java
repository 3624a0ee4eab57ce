package dev.tagflow.server.pipeline;

import dev.tagflow.PlainJson;
import dev.tagflow.pipeline.run.LogLine;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs that end without running: refused (a moved tag, a broken workflow, a queued run that cannot
 * start after a restart) or cancelled while queued, each with its reason in its log and its record.
 */
final class RunRefusals {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

  private final RunStore store;
  private final Function<String, Path> directories;
  private final RunSources sources;
  private final Clock clock;

  RunRefusals(RunStore store, Function<String, Path> directories, RunSources sources, Clock clock) {
    this.store = store;
    this.directories = directories;
    this.sources = sources;
    this.clock = clock;
  }

  /** Whether a stored run is a refusal (a failed record that never ran). */
  static boolean isRefusal(RunRecord run) {
    return run.result().map(r -> r.contains("\"conclusion\":\"refused\"")).orElse(false);
  }

  /** Records, as run {@code runId}, a workflow that does not run, with the reasons why not. */
  void record(
      String runId,
      String name,
      Path mirror,
      String file,
      RefPush push,
      String commit,
      List<String> reasons) {
    Path logFile = writeLog(runId, reasons);
    sources.write(runId, mirror, "", Map.of());
    Instant now = clock.instant();
    store.started(
        new RunRecord(
            runId,
            name,
            file,
            push.ref(),
            commit,
            "push",
            RunRecord.RunStatus.RUNNING,
            now,
            Optional.empty(),
            logFile.toString(),
            Optional.empty()));
    ObjectNode result = PlainJson.MAPPER.createObjectNode();
    result.put("format", 1);
    result.put("conclusion", "refused");
    ArrayNode problems = result.putArray("refused");
    reasons.forEach(problems::add);
    store.finished(runId, RunRecord.RunStatus.FAILURE, now, result.toString());
    log.warn(
        "repository={} ref={} commit={} workflow={} run={}: refused: {}",
        name,
        push.ref(),
        commit,
        file,
        runId,
        String.join("; ", reasons));
  }

  /** Ends a queued run that cannot start, with the reason in its log and its record. */
  void refuseQueued(RunRecord run, String reason) {
    writeLog(run.runId(), List.of(reason));
    ObjectNode result = PlainJson.MAPPER.createObjectNode();
    result.put("format", 1);
    result.put("conclusion", "refused");
    result.putArray("refused").add(reason);
    store.finished(run.runId(), RunRecord.RunStatus.FAILURE, clock.instant(), result.toString());
    log.warn(
        "repository={} ref={} commit={} workflow={} run={}: refused: {}",
        run.repository(),
        run.ref(),
        run.commit(),
        run.workflow(),
        run.runId(),
        reason);
  }

  /** Ends a run still queued as cancelled; false when it is not queued (it started or ended). */
  boolean cancelQueued(String runId, String by) {
    return store
        .get(runId)
        .filter(r -> r.status() == RunRecord.RunStatus.QUEUED)
        .map(
            r -> {
              writeLog(runId, List.of());
              ObjectNode result = PlainJson.MAPPER.createObjectNode();
              result.put("format", 1);
              result.put("conclusion", "cancelled");
              result.put("error", "cancelled before it started (" + by + ")");
              return store.finished(
                  runId, RunRecord.RunStatus.CANCELLED, clock.instant(), result.toString());
            })
        .orElse(false);
  }

  /** Refuses a run that could not start if it is still queued. */
  void failIfStillQueued(String runId, String reason) {
    store
        .get(runId)
        .filter(r -> r.status() == RunRecord.RunStatus.QUEUED)
        .ifPresent(r -> refuseQueued(r, reason));
  }

  private Path writeLog(String runId, List<String> reasons) {
    Path directory = directories.apply(runId);
    Path logFile = directory.resolve("log.txt");
    try {
      Files.createDirectories(directory);
      StringBuilder text = new StringBuilder();
      for (String reason : reasons) {
        text.append(
                new LogLine(clock.instant(), "", -1, LogLine.Kind.RUNNER, "refused: " + reason)
                    .format())
            .append(System.lineSeparator());
      }
      Files.writeString(logFile, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the refused run's log " + logFile, e);
    }
    return logFile;
  }
}
