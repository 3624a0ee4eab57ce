package dev.tagflow.pipeline.run;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job instance as it ended: a job, or one combination of its matrix.
 *
 * @param key the job's id, with the matrix values for a combination: {@code test (17, linux)}
 * @param matrix the combination; empty without a matrix
 * @param summary what its steps wrote to {@code $GITHUB_STEP_SUMMARY}, masked
 * @param message why it failed, was cancelled or skipped; empty when it succeeded
 */
public record JobResult(
    String id,
    String key,
    Map<String, Object> matrix,
    Conclusion conclusion,
    Instant started,
    Instant finished,
    Map<String, String> outputs,
    List<StepResult> steps,
    String summary,
    String message) {

  public JobResult {
    matrix = Collections.unmodifiableMap(new LinkedHashMap<>(matrix));
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    steps = List.copyOf(steps);
  }
}
