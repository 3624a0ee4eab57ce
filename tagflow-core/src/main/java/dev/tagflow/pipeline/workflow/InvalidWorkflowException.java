package dev.tagflow.pipeline.workflow;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** Workflow files that cannot be used, with every problem found in them. */
public final class InvalidWorkflowException extends TagflowException {

  private final List<Problem> problems;

  InvalidWorkflowException(List<Problem> problems) {
    super(Reason.INVALID_INPUT, message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem with its place, file by file in the order of each file. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    return problems.size() == 1
        ? problems.getFirst().toString()
        : problems.size()
            + " problems in workflows:\n"
            + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
