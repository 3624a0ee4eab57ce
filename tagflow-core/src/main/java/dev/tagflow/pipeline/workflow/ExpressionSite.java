package dev.tagflow.pipeline.workflow;

import java.util.Objects;

/**
 * A value of a workflow that is, or may hold, an expression: where it is, which key it is under (so
 * which contexts it may use), and its text as written. The loader hands every site to an {@link
 * ExpressionCheck}; the runner evaluates them.
 *
 * @param path the value's place in the workflow, {@code jobs.build.steps[2].run}
 */
public record ExpressionSite(String path, ExpressionKey key, Text text) {

  public ExpressionSite {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(text, "text");
  }

  /** Whether there is an expression to check: a condition always is one, other text with ${{. */
  public boolean isExpression() {
    return key.condition() ? !text.value().isBlank() : text.hasExpression();
  }
}
