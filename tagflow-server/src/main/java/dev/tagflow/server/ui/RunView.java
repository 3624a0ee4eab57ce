package dev.tagflow.server.ui;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A pipeline run as its page shows it: the record, and once it ended its jobs, steps, artifacts and
 * the images it pushed (from the result the pipeline stored as JSON).
 *
 * @param refused why the run was refused before it ran (a workflow it cannot run), if it was
 * @param error what failed the run as a whole, or empty
 */
public record RunView(
    RunRecord run,
    List<Job> jobs,
    List<Artifact> artifacts,
    List<BuiltImage> images,
    List<String> refused,
    String error) {

  /** One job and its steps. */
  public record Job(String key, String conclusion, String message, List<Step> steps) {}

  /** One step: its conclusion, exit code when it ran a process, and outputs (masked as logged). */
  public record Step(
      int index,
      String name,
      String conclusion,
      Optional<Integer> exitCode,
      String message,
      Map<String, String> outputs) {}

  /** A file set a job uploaded. */
  public record Artifact(String name, int files, long size, String job) {}

  /** The view of a run, reading its stored result when it has one. */
  public static RunView of(RunRecord run, List<BuiltImage> images) {
    List<Job> jobs = new ArrayList<>();
    List<Artifact> artifacts = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    String error = "";
    if (run.result().isPresent()) {
      JsonNode result = parse(run.result().get());
      result.path("refused").forEach(r -> refused.add(NodeText.of(r)));
      error = result.path("error").asString("");
      for (JsonNode job : result.path("jobs")) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : job.path("steps")) {
          Map<String, String> outputs = new java.util.LinkedHashMap<>();
          step.path("outputs")
              .properties()
              .forEach(e -> outputs.put(e.getKey(), NodeText.of(e.getValue())));
          steps.add(
              new Step(
                  step.path("index").asInt(),
                  NodeText.of(step.path("name")),
                  NodeText.of(step.path("conclusion")),
                  step.has("exitCode")
                      ? Optional.of(step.path("exitCode").asInt())
                      : Optional.empty(),
                  step.path("message").asString(""),
                  outputs));
        }
        jobs.add(
            new Job(
                NodeText.of(job.path("key")),
                NodeText.of(job.path("conclusion")),
                job.path("message").asString(""),
                steps));
      }
      for (JsonNode artifact : result.path("artifacts")) {
        artifacts.add(
            new Artifact(
                NodeText.of(artifact.path("name")),
                artifact.path("files").asInt(),
                artifact.path("size").asLong(),
                NodeText.of(artifact.path("job"))));
      }
    }
    return new RunView(run, jobs, artifacts, images, refused, error);
  }

  /** The tag or branch the run is for, without {@code refs/tags/} or {@code refs/heads/}. */
  public static String refName(RunRecord run) {
    return run.ref().replaceFirst("^refs/(tags|heads)/", "");
  }

  /** The short commit. */
  public static String shortCommit(String commit) {
    return commit.substring(0, Math.min(12, commit.length()));
  }

  /** {@code Success}, {@code Running}, … */
  public static String status(RunRecord run) {
    String name = run.status().name();
    return name.charAt(0) + name.substring(1).toLowerCase();
  }

  /** How long it ran, or has run so far: {@code 1m 12s}. */
  public static String duration(RunRecord run, Instant now) {
    if (run.status() == RunRecord.RunStatus.QUEUED) {
      return "";
    }
    return text(Duration.between(run.started(), run.finished().orElse(now)));
  }

  /** {@code 45s}, {@code 1m 12s}, {@code 2h 3m}. */
  static String text(Duration duration) {
    long s = Math.max(0, duration.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    return s / 3600 + "h " + s % 3600 / 60 + "m";
  }

  private static JsonNode parse(String text) {
    try {
      return PlainJson.MAPPER.readTree(text);
    } catch (JacksonException e) {
      // The pipeline owns the shape; a result that is not JSON is shown as the run's error.
      return PlainJson.MAPPER
          .createObjectNode()
          .put("error", "the run's stored result is not JSON: " + e.getMessage());
    }
  }
}
