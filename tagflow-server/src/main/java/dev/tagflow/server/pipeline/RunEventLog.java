package dev.tagflow.server.pipeline;

import dev.tagflow.pipeline.run.JobResult;
import dev.tagflow.pipeline.run.LogLine;
import dev.tagflow.pipeline.run.RunListener;
import dev.tagflow.pipeline.run.RunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One server log line per job and run end, with repository, ref, commit, workflow and run. */
record RunEventLog(String repository, String ref, String commit, String workflow, String runId)
    implements RunListener {

  // Under the pipeline's name, as docs/workflows.md shows these lines.
  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

  @Override
  public void line(LogLine line) {}

  @Override
  public void jobFinished(JobResult job) {
    log.info(
        "repository={} ref={} commit={} workflow={} run={}: job {} {}",
        repository,
        ref,
        commit,
        workflow,
        runId,
        job.key(),
        job.conclusion().word());
  }

  @Override
  public void runFinished(RunResult run) {
    log.info(
        "repository={} ref={} commit={} workflow={} run={}: {}",
        repository,
        ref,
        commit,
        workflow,
        runId,
        run.conclusion().word());
  }
}
