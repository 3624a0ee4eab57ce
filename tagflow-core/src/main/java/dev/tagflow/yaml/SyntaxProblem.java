package dev.tagflow.yaml;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML syntax error as the readers report it: where it is, and {@code not valid YAML: …} with the
 * construct it happened in ({@code while parsing a flow sequence started at line 3: …}).
 *
 * @param at where SnakeYAML found the problem, else where the construct started; null when it said
 *     neither
 */
public record SyntaxProblem(Mark at, String message) {

  /** The problem SnakeYAML's exception describes. */
  public static SyntaxProblem of(MarkedYAMLException e) {
    Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String context =
        e.getContext() == null || e.getContextMark() == null
            ? ""
            : e.getContext() + " started at line " + (e.getContextMark().getLine() + 1) + ": ";
    return new SyntaxProblem(at, "not valid YAML: " + context + e.getProblem());
  }
}
