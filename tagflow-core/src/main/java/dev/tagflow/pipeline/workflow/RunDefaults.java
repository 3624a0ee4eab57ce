package dev.tagflow.pipeline.workflow;

import java.util.Optional;

/**
 * {@code defaults.run} of a workflow or a job: the shell and working directory of its {@code run}
 * steps unless a step says otherwise.
 */
public record RunDefaults(Optional<Text> shell, Optional<Text> workingDirectory) {

  public static final RunDefaults NONE = new RunDefaults(Optional.empty(), Optional.empty());
}
