package dev.tagflow.pipeline.workflow;

import java.util.List;

/**
 * Checks the expressions of a workflow when it is loaded: their syntax, and that they use only the
 * contexts their key offers ({@link ExpressionKey#contexts()}). The expression language lives in
 * {@code dev.tagflow.pipeline.expression}; this is where it plugs into loading.
 */
@FunctionalInterface
public interface ExpressionCheck {

  /** Checks nothing: for loading before the expression language is wired in. */
  ExpressionCheck NONE = site -> List.of();

  /** What is wrong with the site's expressions, one message each; empty when nothing is. */
  List<Problem> check(ExpressionSite site);

  /**
   * One mistake in an expression.
   *
   * @param offset where in the site's text, from 0, as far as it is known (0 otherwise)
   */
  record Problem(int offset, String message) {}
}
