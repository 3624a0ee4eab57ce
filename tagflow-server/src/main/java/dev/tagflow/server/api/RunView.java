package dev.tagflow.server.api;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.RunRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** A pipeline run and the images it built as the API (and {@code tagflow releases}) show them. */
public final class RunView {

  private RunView() {}

  /** The status as people read it: a refused run (a moved tag) is not a failed build. */
  static String status(RunRecord run) {
    return PipelineService.isRefusal(run)
        ? "refused"
        : run.status().name().toLowerCase(Locale.ROOT);
  }

  static Map<String, Object> summary(RunRecord run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", run.runId());
    json.put("repository", run.repository());
    json.put("workflow", run.workflow());
    json.put("ref", run.ref());
    json.put("commit", run.commit());
    json.put("event", run.event());
    json.put("status", status(run));
    json.put("started", run.started().toString());
    json.put("finished", run.finished().map(Object::toString).orElse(null));
    json.put("logs", RunRoutes.PATH + "/" + run.runId() + "/logs");
    return json;
  }

  /**
   * The run with its jobs, steps and artifacts (the runner's result, outputs masked as in the log)
   * and the images it pushed.
   */
  static Map<String, Object> detail(RunRecord run, List<BuiltImage> images) {
    Map<String, Object> json = summary(run);
    JsonNode result = run.result().map(RunView::parse).orElse(null);
    json.put("jobs", list(result, "jobs"));
    json.put("artifacts", list(result, "artifacts"));
    json.put("refused", list(result, "refused"));
    json.put(
        "error", result != null && result.has("error") ? NodeText.of(result.get("error")) : null);
    json.put("images", images.stream().map(RunView::image).toList());
    return json;
  }

  /** An image a run pushed: tag → commit → digest. */
  public static Map<String, Object> image(BuiltImage image) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run", image.runId());
    json.put("repository", image.repository());
    json.put("ref", image.ref());
    json.put("commit", image.commit());
    json.put("image", image.image());
    json.put("digest", image.digest());
    json.put("tags", image.tags());
    json.put("builtAt", image.builtAt().toString());
    return json;
  }

  private static Object list(JsonNode result, String field) {
    return result != null && result.path(field).isArray() ? result.get(field) : List.of();
  }

  private static JsonNode parse(String text) {
    try {
      return PlainJson.MAPPER.readTree(text);
    } catch (JacksonException e) {
      return PlainJson.MAPPER
          .createObjectNode()
          .put("error", "the run's stored result is not JSON");
    }
  }
}
