package dev.tagflow.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tagflow.TagflowException;
import dev.tagflow.pipeline.run.RunHandle;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the command line while the server runs: its {@link PipelineRequests} (dispatch, rerun,
 * cancel of a queued run) and the cancel requests ({@value PipelineService#CANCEL_FILE}) in the
 * directories of running runs.
 */
final class RunRequestDesk implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CANCELLED_BY = "tagflow runs cancel";
  // How often the folders are looked at while runs go (a cancel request has no other signal).
  private static final Duration LOOK = Duration.ofMillis(200);
  // How long an idle desk waits for a request before it looks anyway: a run started elsewhere (a
  // webhook) may be cancelled by a file in its directory, seen this much later at worst.
  private static final Duration IDLE_LOOK = Duration.ofSeconds(2);

  private final PipelineService pipeline;
  private final RunStore store;
  private final RunSlots slots;
  private final PipelineRequests requests;
  private final Function<String, Path> directories;
  private final ExecutorService watch =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());

  RunRequestDesk(
      PipelineService pipeline,
      RunStore store,
      RunSlots slots,
      PipelineRequests requests,
      Function<String, Path> directories) {
    this.pipeline = pipeline;
    this.store = store;
    this.slots = slots;
    this.requests = requests;
    this.directories = directories;
  }

  /** Starts watching, until closed. */
  void open() {
    watch.submit(this::watchRequests);
  }

  @Override
  public void close() {
    watch.shutdownNow();
  }

  private void watchRequests() {
    WatchService watcher = requestWatcher();
    try {
      while (!slots.closed()) {
        try {
          requests.serve(this::answer);
        } catch (RuntimeException e) {
          log.warn("the command line's requests could not be answered: {}", e.toString());
        }
        for (Map.Entry<String, RunHandle> run : slots.running().entrySet()) {
          Path request = directories.apply(run.getKey()).resolve(PipelineService.CANCEL_FILE);
          if (Files.exists(request)) {
            String by;
            try {
              by = Files.readString(request).strip();
              Files.delete(request);
            } catch (IOException e) {
              by = CANCELLED_BY;
            }
            log.info("run={}: cancel requested ({})", run.getKey(), by);
            run.getValue().cancel(by.isEmpty() ? CANCELLED_BY : by);
          }
        }
        if (slots.running().isEmpty() && watcher != null) {
          // Nothing runs, so only a new request needs an answer, and its file wakes the watch; an
          // idle server does not look at the folder five times a second.
          WatchKey key = watcher.poll(IDLE_LOOK.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        } else {
          Thread.sleep(LOOK.toMillis());
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    } finally {
      if (watcher != null) {
        try {
          watcher.close();
        } catch (IOException e) {
          log.debug("closing the watch of run requests: {}", e.toString());
        }
      }
    }
  }

  /** A watch of the requests' folder, or none (then the folder is looked at every 200 ms). */
  private WatchService requestWatcher() {
    try {
      WatchService watcher = FileSystems.getDefault().newWatchService();
      requests.watch(watcher);
      return watcher;
    } catch (IOException e) {
      log.warn("cannot watch the run requests' folder, looking every 200 ms: {}", e.toString());
      return null;
    }
  }

  /** Does what the command line asked and says how it went. */
  private ObjectNode answer(JsonNode request) {
    String kind = request.path("kind").asText();
    ObjectNode answer = JSON.createObjectNode();
    switch (kind) {
      case "dispatch" ->
          answer.put(
              "run",
              pipeline.dispatch(
                  request.path("repository").asText(),
                  request.path("ref").asText(),
                  request.path("workflow").asText(),
                  RunSources.inputsOf(request)));
      case "rerun" -> {
        String runId = request.path("run").asText();
        RunRecord run =
            store
                .get(runId)
                .orElseThrow(() -> TagflowException.invalidInput("there is no run " + runId));
        answer.put("run", pipeline.rerun(run, request.path("force").asBoolean(false)));
      }
      case "cancel" -> {
        String runId = request.path("run").asText();
        answer.put("run", runId);
        answer.put("cancelled", slots.cancelQueued(runId, request.path("by").asText(CANCELLED_BY)));
      }
      default -> throw TagflowException.invalidInput("unknown request '" + kind + "'");
    }
    return answer;
  }
}
