package dev.tagflow.pipeline.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run as it ended: its conclusion and every job instance, in the order they finished.
 *
 * @param log the run's log file, masked
 */
public record RunResult(
    String runId,
    String workflow,
    Conclusion conclusion,
    Instant started,
    Instant finished,
    List<JobResult> jobs,
    Path log) {

  public RunResult {
    jobs = List.copyOf(jobs);
  }

  /** The instances of a job, by its id (one without a matrix). */
  public List<JobResult> job(String id) {
    return jobs.stream().filter(j -> j.id().equals(id)).toList();
  }

  /** The only instance of a job without a matrix. */
  public Optional<JobResult> single(String id) {
    List<JobResult> found = job(id);
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }
}
