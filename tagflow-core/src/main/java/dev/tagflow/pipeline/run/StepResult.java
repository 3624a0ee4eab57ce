package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.workflow.Step;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One step as it ended.
 *
 * @param outcome how it ended before {@code continue-on-error}
 * @param conclusion how it counts for the job ({@code success} for a failure it may continue on)
 * @param outputs what the step wrote to {@code $GITHUB_OUTPUT}, masked (later steps read them as
 *     written)
 * @param exitCode the process's exit code, for a {@code run:} step that ran
 * @param message why it failed, was cancelled or skipped; empty when it succeeded
 */
public record StepResult(
    int index,
    Optional<String> id,
    String name,
    Conclusion outcome,
    Conclusion conclusion,
    Instant started,
    Instant finished,
    Map<String, String> outputs,
    Optional<Integer> exitCode,
    String message) {

  public StepResult {
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /** A step that did not run, and why. */
  static StepResult skipped(Step step, String why) {
    Instant now = Instant.now();
    return new StepResult(
        step.index(),
        step.id(),
        step.displayName(),
        Conclusion.SKIPPED,
        Conclusion.SKIPPED,
        now,
        now,
        Map.of(),
        Optional.empty(),
        why);
  }
}
