package dev.tagflow.pipeline.expression;

import java.util.Set;

/**
 * An {@code if:} of a job or step, written with or without {@code ${{ }}}. As in GitHub, a
 * condition that calls none of {@code success()}, {@code failure()}, {@code always()} and {@code
 * cancelled()} holds only when the job is succeeding: {@code if: github.ref_type == 'tag'} is
 * {@code success() && (github.ref_type == 'tag')}. An empty {@code if:} is {@code success()}.
 *
 * <p>A value that mixes {@code ${{ }}} with text outside it ({@code if: ${{ a }} == 'b'}) is
 * refused: GitHub reads it as a string, which is never empty and so always true, which is never
 * what its author meant.
 */
public final class Condition {

  private final String text;
  private final Expression expression; // null: an empty if, which is success()
  private final int offset; // where the expression's text starts in the if: value

  private Condition(String text, Expression expression, int offset) {
    this.text = text;
    this.expression = expression;
    this.offset = offset;
  }

  /**
   * Parses an {@code if:} value with the default limits.
   *
   * @throws ExpressionException saying what is wrong and at which column
   */
  public static Condition parse(String text) {
    return parse(text, ExpressionLimits.defaults());
  }

  /** Parses an {@code if:} value within {@code limits}. */
  public static Condition parse(String text, ExpressionLimits limits) {
    String trimmed = Text.trim(text);
    if (trimmed.isEmpty()) {
      return new Condition(text, null, 0);
    }
    if (!trimmed.startsWith("${{")) {
      return new Condition(text, Expression.parse(text, limits), 0);
    }
    int lead = text.indexOf("${{");
    Template template;
    try {
      template = Template.parse(trimmed, limits);
    } catch (ExpressionException e) {
      throw e.shifted(lead);
    }
    return new Condition(
        text,
        template
            .single()
            .orElseThrow(
                () ->
                    ExpressionException.at(
                        lead,
                        "the condition has text outside its ${{ }}; GitHub would read it as a"
                            + " string, which is always true. Put the whole condition inside one"
                            + " ${{ }}, or leave ${{ }} out")),
        lead + 3);
  }

  /** Refuses the first context or special function not available at {@code place}. */
  void checkAvailable(Place place) {
    if (expression != null) {
      expression.checkAvailable(place, offset);
    }
  }

  /** Whether the job or step runs. */
  public boolean test(Contexts contexts) {
    if (expression == null) {
      return contexts.status() == Contexts.Status.SUCCESS;
    }
    if (!expression.usesStatusFunction() && contexts.status() != Contexts.Status.SUCCESS) {
      return false;
    }
    return expression.evaluate(contexts).isTruthy();
  }

  /** The contexts the condition reads, by lower-case name. */
  public Set<String> contexts() {
    return expression == null ? Set.of() : expression.contexts();
  }

  /** The names the condition reads from {@code context} by a fixed key. */
  public Set<String> keysReadFrom(String context) {
    return expression == null ? Set.of() : expression.keysReadFrom(context);
  }

  /** Whether the condition calls a status function itself (so no implicit success()). */
  public boolean usesStatusFunction() {
    return expression != null && expression.usesStatusFunction();
  }

  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
