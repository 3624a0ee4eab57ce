package dev.tagflow.server.pipeline;

import dev.tagflow.TagflowException;
import dev.tagflow.store.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cancel and rerun of a recorded run by the server's pipeline: the one way the API's verbs and the
 * web UI's buttons do them. A queued run is taken off the pipeline's queue ({@link
 * PipelineRequests}); a running one is asked to stop by the {@link PipelineService#CANCEL_FILE} in
 * its directory, as {@code tagflow runs cancel} does.
 */
public final class RunControl {

  /** How long a queued run's cancel waits for the pipeline to take it off its queue. */
  private static final Duration CANCEL_PATIENCE = Duration.ofSeconds(10);

  /** What a cancel or a rerun did. */
  public sealed interface Outcome {

    /** Done: the run cancelled, or the id of the new run. */
    record Accepted(String run) implements Outcome {}

    /** Not done, with what to tell the person and what to do. */
    record Refused(Refusal refusal, String message, String fix) implements Outcome {}
  }

  /** Why a verb was not done. */
  public enum Refusal {
    /** The server's pipeline does not run (yet). */
    NO_PIPELINE,
    /** The run's state does not allow it (ended, or started meanwhile). */
    CONFLICT,
    /** The request itself was wrong. */
    INVALID
  }

  private final Supplier<Optional<PipelineService>> pipeline;
  private final PipelineRequests requests;
  private final ObjectMapper json;

  /**
   * @param pipeline the server's pipeline, once it runs
   * @param dataDir the data directory, whose request desk takes a queued run's cancel
   */
  public RunControl(Supplier<Optional<PipelineService>> pipeline, Path dataDir, ObjectMapper json) {
    this.pipeline = pipeline;
    this.requests = new PipelineRequests(dataDir);
    this.json = json;
  }

  /** Whether the pipeline runs, so that its verbs can be offered. */
  public boolean available() {
    return pipeline.get().isPresent();
  }

  /**
   * Cancels a queued or running run.
   *
   * @param by who asked, as the run's record will say ({@code cancelled by alice in the web UI})
   */
  public Outcome cancel(RunRecord run, String by) throws InterruptedException {
    if (pipeline.get().isEmpty()) {
      return noPipeline();
    }
    switch (run.status()) {
      case QUEUED -> {
        ObjectNode request = json.createObjectNode();
        request.put("kind", "cancel");
        request.put("run", run.runId());
        request.put("by", by);
        JsonNode answer;
        try {
          answer = requests.ask(request, CANCEL_PATIENCE);
        } catch (TagflowException refused) {
          return new Outcome.Refused(refusalOf(refused), refused.getMessage(), "try again");
        }
        if (!answer.path("cancelled").asBoolean()) {
          return new Outcome.Refused(
              Refusal.CONFLICT,
              "run " + run.runId() + " started meanwhile",
              "ask again to cancel the running run");
        }
      }
      case RUNNING -> {
        Path request = Path.of(run.log()).resolveSibling(PipelineService.CANCEL_FILE);
        try {
          Files.writeString(request, by);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the cancel request " + request, e);
        }
      }
      default -> {
        return new Outcome.Refused(
            Refusal.CONFLICT,
            "run " + run.runId() + " is not running (it is " + statusOf(run) + ")",
            "nothing to cancel");
      }
    }
    return new Outcome.Accepted(run.runId());
  }

  /**
   * Queues an ended run's workflow again at its commit; with {@code force} also a refused one.
   *
   * @return the new run's id when accepted
   */
  public Outcome rerun(RunRecord run, boolean force) {
    Optional<PipelineService> service = pipeline.get();
    if (service.isEmpty()) {
      return noPipeline();
    }
    try {
      return new Outcome.Accepted(service.get().rerun(run, force));
    } catch (TagflowException refused) {
      return new Outcome.Refused(
          refusalOf(refused), refused.getMessage(), "see run " + run.runId() + " for why");
    }
  }

  private static Outcome noPipeline() {
    return new Outcome.Refused(
        Refusal.NO_PIPELINE,
        "this server's release pipeline is not running",
        "start tagflow server with its pipeline (the default)");
  }

  private static Refusal refusalOf(TagflowException refused) {
    return refused.reason() == TagflowException.Reason.INVALID_INPUT
        ? Refusal.INVALID
        : Refusal.CONFLICT;
  }

  private static String statusOf(RunRecord run) {
    return PipelineService.isRefusal(run)
        ? "refused"
        : run.status().name().toLowerCase(java.util.Locale.ROOT);
  }
}
