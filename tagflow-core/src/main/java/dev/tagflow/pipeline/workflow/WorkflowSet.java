package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Problem;
import java.util.List;

/**
 * The workflows of one tree (a directory, or a commit of a repository), and the problems of the
 * files that could not be loaded. A file loads whole or not at all: one with a problem is not among
 * the workflows, so a mistake in one file does not stop the others from running.
 *
 * @param workflows those that loaded, in the order of their paths
 * @param problems every problem of the others, file by file
 */
public record WorkflowSet(List<Workflow> workflows, List<Problem> problems) {

  public WorkflowSet {
    workflows = List.copyOf(workflows);
    problems = List.copyOf(problems);
  }

  /** The workflows a push of this ref starts, in the order of their paths. */
  public List<Workflow> triggeredBy(RefPush push) {
    return workflows.stream().filter(w -> w.on().startsOn(push)).toList();
  }

  /** The workflows that can be started by hand ({@code workflow_dispatch}). */
  public List<Workflow> manual() {
    return workflows.stream().filter(w -> w.on().manual()).toList();
  }

  /**
   * The workflows, when every file loaded.
   *
   * @throws InvalidWorkflowException with every problem of every file otherwise
   */
  public List<Workflow> orThrow() {
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
    return workflows;
  }
}
