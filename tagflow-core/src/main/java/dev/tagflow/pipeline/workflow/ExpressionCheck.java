package dev.tagflow.pipeline.workflow;

import dev.tagflow.pipeline.expression.Condition;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Template;
import java.util.List;

/**
 * Checks the expressions of a workflow when it is loaded. {@link #LANGUAGE}, the loader's default,
 * parses each with the expression language ({@code dev.tagflow.pipeline.expression}) and refuses a
 * context or function its key does not offer (GitHub's context availability, {@link
 * dev.tagflow.pipeline.expression.Place}); another check can be given for tests.
 */
@FunctionalInterface
public interface ExpressionCheck {

  /** Checks nothing. */
  ExpressionCheck NONE = site -> List.of();

  /**
   * Parses an {@code if:} as a condition and any other value as a template, and checks what it
   * reads against its place.
   */
  ExpressionCheck LANGUAGE =
      site -> {
        try {
          if (site.condition()) {
            site.place().check(Condition.parse(site.text().value()));
          } else {
            site.place().check(Template.parse(site.text().value()));
          }
          return List.of();
        } catch (ExpressionException e) {
          // The problem is placed at the character in the file; the column in the value is noise.
          String message = e.getMessage().replaceFirst(" \\(column \\d+\\)$", "");
          return List.of(new Problem(Math.max(0, e.offset()), message));
        }
      };

  /** What is wrong with the site's expressions, one problem each; empty when nothing is. */
  List<Problem> check(ExpressionSite site);

  /**
   * One mistake in an expression.
   *
   * @param offset where in the site's text, from 0, as far as it is known (0 otherwise)
   */
  record Problem(int offset, String message) {}
}
