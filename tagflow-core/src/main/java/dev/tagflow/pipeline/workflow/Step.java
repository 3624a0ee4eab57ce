package dev.tagflow.pipeline.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a job.
 *
 * @param index its place in the job, from 0
 * @param at where the step starts in the file
 * @param id {@code id:}, by which later steps reach its outputs
 * @param condition {@code if:}, as written (with or without {@code ${{ }}})
 * @param timeoutMinutes {@code timeout-minutes:}: a number, or an expression
 * @param continueOnError {@code continue-on-error:}: true, false or an expression
 */
public record Step(
    int index,
    Position at,
    Optional<String> id,
    Optional<Text> name,
    StepAction action,
    Map<String, Text> env,
    Optional<Text> condition,
    Optional<Text> timeoutMinutes,
    Optional<Text> continueOnError) {

  public Step {
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /**
   * The name shown for the step: its {@code name}, else what it runs or uses, as GitHub shows it.
   */
  public String displayName() {
    if (name.isPresent()) {
      return name.get().value();
    }
    return switch (action) {
      case StepAction.Run run -> "Run " + run.script().value().lines().findFirst().orElse("");
      case StepAction.Uses uses -> "Run " + uses.action().uses();
    };
  }
}
