package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Problem;
import java.util.List;
import java.util.Optional;

/**
 * The workflows of one tree (a directory, or a commit of a repository), and the files that could
 * not be loaded. A file loads whole or not at all: one with a problem is not among the workflows,
 * so a mistake in one file does not stop the others from running; but it is never skipped in
 * silence: {@link #problemsFor} gives the problems of every refused file a push would have started,
 * for the run to report.
 *
 * @param workflows those that loaded, in the order of their paths
 * @param refused the files that did not, with their problems
 */
public record WorkflowSet(List<Workflow> workflows, List<Refused> refused) {

  /**
   * A file that did not load.
   *
   * @param on its triggers, when they could be read; empty when not even they could
   * @param problems every problem of the file, in its order
   */
  public record Refused(String file, Optional<Triggers> on, List<Problem> problems) {
    public Refused {
      problems = List.copyOf(problems);
    }
  }

  public WorkflowSet {
    workflows = List.copyOf(workflows);
    refused = List.copyOf(refused);
  }

  /** Every problem of every refused file, file by file. */
  public List<Problem> problems() {
    return refused.stream().flatMap(r -> r.problems().stream()).toList();
  }

  /** The workflows a push of this ref starts, in the order of their paths. */
  public List<Workflow> triggeredBy(RefPush push) {
    return workflows.stream().filter(w -> w.on().startsOn(push)).toList();
  }

  /**
   * The problems of the refused files this push would have started, or might have (those whose
   * triggers could not be read): what a run for the push must report instead of running them.
   */
  public List<Problem> problemsFor(RefPush push) {
    return refused.stream()
        .filter(r -> r.on().map(on -> on.startsOn(push)).orElse(true))
        .flatMap(r -> r.problems().stream())
        .toList();
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
    if (!refused.isEmpty()) {
      throw new InvalidWorkflowException(problems());
    }
    return workflows;
  }
}
