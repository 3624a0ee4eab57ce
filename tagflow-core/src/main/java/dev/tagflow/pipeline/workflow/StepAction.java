package dev.tagflow.pipeline.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a step does: run a script, or use an action. */
public sealed interface StepAction {

  /**
   * {@code run:} a script in a shell.
   *
   * @param shell the step's own shell; the job's or workflow's {@code defaults.run} otherwise
   * @param workingDirectory the step's own; the defaults otherwise
   */
  record Run(Text script, Optional<Text> shell, Optional<Text> workingDirectory)
      implements StepAction {}

  /** {@code uses:} an action, with its inputs ({@code with:}) in the order written. */
  record Uses(ActionRef action, Text uses, Map<String, Text> with) implements StepAction {
    public Uses {
      with = Collections.unmodifiableMap(new LinkedHashMap<>(with));
    }
  }
}
