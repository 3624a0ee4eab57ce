package dev.tagflow.pipeline.workflow;

import dev.tagflow.pipeline.expression.Place;
import java.util.Objects;

/**
 * A value of a workflow that is, or may hold, an expression: where it is, under which key (its
 * {@link Place}, so which contexts it may use), and its text as written. The loader hands every
 * site to an {@link ExpressionCheck}; the runner evaluates them.
 *
 * @param path the value's place in the workflow, {@code jobs.build.steps[2].run}
 */
public record ExpressionSite(String path, Place place, Text text) {

  public ExpressionSite {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(place, "place");
    Objects.requireNonNull(text, "text");
  }

  /** Whether the value is an {@code if:}: an expression as a whole, with or without ${{ }}. */
  public boolean condition() {
    return place == Place.JOB_IF || place == Place.STEP_IF;
  }

  /** Whether there is an expression to check: a condition always is one, other text with ${{. */
  public boolean isExpression() {
    return condition() ? !text.value().isBlank() : text.hasExpression();
  }
}
