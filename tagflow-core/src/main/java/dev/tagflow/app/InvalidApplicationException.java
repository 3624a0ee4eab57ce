package dev.tagflow.app;

import dev.tagflow.TagflowException;
import java.util.List;

/** An Application file that cannot be used, with every problem found in it. */
public final class InvalidApplicationException extends TagflowException {

  private final List<Problem> problems;

  InvalidApplicationException(String message, List<Problem> problems) {
    super(Reason.INVALID_INPUT, message);
    this.problems = List.copyOf(problems);
  }

  /** Each problem with its place, in the order of the file. */
  public List<Problem> problems() {
    return problems;
  }
}
