package dev.tagflow.server.pipeline;

import dev.tagflow.pipeline.run.Conclusion;
import dev.tagflow.pipeline.run.JobResult;
import dev.tagflow.pipeline.run.LogLine;
import dev.tagflow.pipeline.run.RunListener;
import dev.tagflow.pipeline.run.RunResult;
import dev.tagflow.pipeline.run.StepResult;
import dev.tagflow.pipeline.workflow.ActionRef;
import dev.tagflow.pipeline.workflow.BuiltInAction;
import dev.tagflow.pipeline.workflow.Job;
import dev.tagflow.pipeline.workflow.StepAction;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.BuiltImageStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records, when a run ends, the images its {@code tagflow/image} steps pushed. */
record BuiltImageRecorder(
    String repository, String ref, String commit, Workflow workflow, BuiltImageStore images)
    implements RunListener {

  private static final Logger log = LoggerFactory.getLogger(BuiltImageRecorder.class);

  @Override
  public void line(LogLine line) {}

  @Override
  public void runFinished(RunResult run) {
    List<BuiltImage> pushed = pushedImages(run, workflow, repository, ref, commit);
    if (pushed.isEmpty()) {
      return;
    }
    try {
      images.record(pushed);
      pushed.forEach(
          image ->
              log.info(
                  "repository={} ref={} commit={} run={}: image {} {} recorded",
                  repository,
                  ref,
                  commit,
                  run.runId(),
                  image.image(),
                  image.digest()));
    } catch (RuntimeException e) {
      log.error("run={}: the images it pushed could not be recorded", run.runId(), e);
    }
  }

  /** The images the {@code tagflow/image} steps of a run pushed, from their outputs. */
  static List<BuiltImage> pushedImages(
      RunResult run, Workflow workflow, String repository, String ref, String commit) {
    List<BuiltImage> pushed = new ArrayList<>();
    for (JobResult job : run.jobs()) {
      Job declared = workflow.jobs().get(job.id());
      if (declared == null) {
        continue;
      }
      for (StepResult step : job.steps()) {
        boolean image =
            declared.steps().stream()
                .anyMatch(
                    s ->
                        s.index() == step.index()
                            && s.action() instanceof StepAction.Uses uses
                            && uses.action() instanceof ActionRef.BuiltIn builtIn
                            && builtIn.action() == BuiltInAction.IMAGE);
        String digest = step.outputs().getOrDefault("digest", "");
        if (image && step.conclusion() == Conclusion.SUCCESS && digest.startsWith("sha256:")) {
          String tags = step.outputs().getOrDefault("tags", "");
          pushed.add(
              new BuiltImage(
                  run.runId(),
                  repository,
                  ref,
                  commit,
                  step.outputs().getOrDefault("image", ""),
                  digest,
                  tags.isEmpty() ? List.of() : List.of(tags.split(",")),
                  step.finished()));
        }
      }
    }
    return pushed;
  }
}
