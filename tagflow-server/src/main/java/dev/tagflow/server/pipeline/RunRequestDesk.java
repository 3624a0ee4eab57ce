package dev.tagflow.server.pipeline;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers the command line while the server runs: its {@link PipelineRequests} (dispatch, rerun,
 * cancel of a queued run) and the cancel requests ({@value PipelineService#CANCEL_FILE}) in the
 * directories of running runs.
 */
final class RunRequestDesk implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);
  private static final String CANCELLED_BY = "tagflow runs cancel";
  // How often the folders are looked at while runs go (a cancel request has no other signal).
  private static final Duration LOOK = Duration.ofMillis(200);
  // How long an idle desk waits before it looks anyway. A request's file wakes it through the
  // folder's watch and a run starting through runStarted(); this is only the net under both (a
  // folder made again, a watch the kernel let go), so an idle server wakes once a minute here.
  private static final Duration IDLE_LOOK = Duration.ofMinutes(1);

  private final PipelineService pipeline;
  private final RunStore store;
  private final RunSlots slots;
  private final PipelineRequests requests;
  private final Function<String, Path> directories;
  private final ExecutorService watch =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
  // Released by the folder's watch and by a run's start: what ends an idle desk's wait.
  private final Semaphore wake = new Semaphore(0);

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

  /**
   * A run has started: its directory may get a cancel request now, which only the desk's looks
   * find, so an idle desk looks again at once and then every {@code LOOK} while runs go.
   */
  void runStarted() {
    wake.release();
  }

  @Override
  public void close() {
    watch.shutdownNow();
  }

  private void watchRequests() {
    WatchService watcher = requestWatcher();
    if (watcher != null) {
      watch.submit(() -> wakeOnRequests(watcher));
    }
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
          // Nothing runs, so only a new request or a run's start needs the desk, and each wakes
          // it: an idle server does not look at the folder every few seconds.
          wake.tryAcquire(IDLE_LOOK.toMillis(), TimeUnit.MILLISECONDS);
          wake.drainPermits();
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

  /** Wakes the desk for each change of the requests' folder, until the watch is closed. */
  private void wakeOnRequests(WatchService watcher) {
    try {
      while (true) {
        WatchKey key = watcher.take();
        key.pollEvents();
        key.reset();
        wake.release();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed with the desk
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
    String kind = NodeText.of(request.path("kind"));
    ObjectNode answer = PlainJson.MAPPER.createObjectNode();
    switch (kind) {
      case "dispatch" ->
          answer.put(
              "run",
              pipeline.dispatch(
                  NodeText.of(request.path("repository")),
                  NodeText.of(request.path("ref")),
                  NodeText.of(request.path("workflow")),
                  RunSources.inputsOf(request)));
      case "rerun" -> {
        String runId = NodeText.of(request.path("run"));
        RunRecord run =
            store
                .get(runId)
                .orElseThrow(() -> TagflowException.invalidInput("there is no run " + runId));
        answer.put("run", pipeline.rerun(run, request.path("force").asBoolean(false)));
      }
      case "cancel" -> {
        String runId = NodeText.of(request.path("run"));
        answer.put("run", runId);
        answer.put(
            "cancelled", slots.cancelQueued(runId, request.path("by").asString(CANCELLED_BY)));
      }
      default -> throw TagflowException.invalidInput("unknown request '" + kind + "'");
    }
    return answer;
  }
}
