package dev.tagflow.pipeline.run;

import dev.tagflow.PlainJson;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's jobs and steps as the JSON document the store keeps ({@code runs.result}), format 1:
 * {@code {"format":1,"conclusion":…,"jobs":[{"id","key","matrix","conclusion","started",
 * "finished","message","outputs","steps":[{"index","id","name","outcome","conclusion","exitCode",
 * "message","outputs",…}]}],"artifacts":[{"id","name","size","files","job","path"}]}}. Every text
 * in it was masked before.
 */
final class RunDocument {

  private RunDocument() {}

  static String of(RunResult run) {
    ObjectNode root = PlainJson.MAPPER.createObjectNode();
    root.put("format", 1);
    root.put("conclusion", run.conclusion().word());
    root.put("started", run.started().toString());
    root.put("finished", run.finished().toString());
    ArrayNode jobs = root.putArray("jobs");
    for (JobResult job : run.jobs()) {
      ObjectNode j = jobs.addObject();
      j.put("id", job.id());
      j.put("key", job.key());
      j.set("matrix", PlainJson.MAPPER.valueToTree(job.matrix()));
      j.put("conclusion", job.conclusion().word());
      j.put("started", job.started().toString());
      j.put("finished", job.finished().toString());
      j.put("message", job.message());
      j.put("summary", job.summary());
      outputs(j, job.outputs());
      ArrayNode steps = j.putArray("steps");
      for (StepResult step : job.steps()) {
        ObjectNode s = steps.addObject();
        s.put("index", step.index());
        step.id().ifPresent(id -> s.put("id", id));
        s.put("name", step.name());
        s.put("outcome", step.outcome().word());
        s.put("conclusion", step.conclusion().word());
        s.put("started", step.started().toString());
        s.put("finished", step.finished().toString());
        step.exitCode().ifPresent(code -> s.put("exitCode", code));
        s.put("message", step.message());
        outputs(s, step.outputs());
      }
    }
    ArrayNode artifacts = root.putArray("artifacts");
    List<ArtifactStore.Artifact> stored;
    try {
      stored = new ArtifactStore(run.log().getParent()).list();
    } catch (StepFailure e) {
      stored = List.of(); // the run's record matters more than the list of its artifacts
    }
    for (ArtifactStore.Artifact artifact : stored) {
      ObjectNode a = artifacts.addObject();
      a.put("id", artifact.id());
      a.put("name", artifact.name());
      a.put("size", artifact.size());
      a.put("files", artifact.files());
      a.put("job", artifact.job());
      a.put("path", artifact.archive().toString());
    }
    return root.toString();
  }

  private static void outputs(ObjectNode node, Map<String, String> outputs) {
    ObjectNode o = node.putObject("outputs");
    outputs.forEach(o::put);
  }
}
