package dev.tagflow.pipeline.expression;

/**
 * How much an expression may ask for: the bounds that keep a workflow someone pushed from filling
 * the heap, the stack or the CPU of the host that reads it.
 *
 * @param maxLength characters of one expression or template; GitHub refuses expressions over 21,000
 *     characters, so no workflow that runs there is refused here
 * @param maxDepth nesting of operators, calls, properties and indexes in one expression; GitHub's
 *     own bound is 50, and it is what keeps the parser's and evaluator's recursion off the stack's
 *     end
 * @param maxStringChars characters of any one string an evaluation makes ({@code format}, {@code
 *     join}, {@code toJSON}, a rendered template): a step's {@code run:} is far below, a {@code
 *     toJSON(github)} of a large event payload fits
 * @param maxEvaluationChars characters all strings of one evaluation may make together, so a
 *     thousand calls each under {@code maxStringChars} cannot add up to gigabytes
 * @param maxElements array elements one evaluation may make (object filters {@code a.*.b}, {@code
 *     fromJSON})
 * @param maxJsonDepth nesting of a value written by {@code toJSON} or read by {@code fromJSON}
 * @param maxHashedFiles files one {@code hashFiles} may hash (and, ten times that, entries it may
 *     look at while it walks the workspace)
 */
public record ExpressionLimits(
    int maxLength,
    int maxDepth,
    int maxStringChars,
    long maxEvaluationChars,
    int maxElements,
    int maxJsonDepth,
    int maxHashedFiles) {

  /** The bounds every workflow is read with unless a caller says otherwise. */
  public static ExpressionLimits defaults() {
    return new ExpressionLimits(21_000, 50, 1 << 20, 16L << 20, 1_000_000, 100, 100_000);
  }

  public ExpressionLimits {
    if (maxLength < 1
        || maxDepth < 1
        || maxStringChars < 1
        || maxEvaluationChars < 1
        || maxElements < 1
        || maxJsonDepth < 1
        || maxHashedFiles < 1) {
      throw new IllegalArgumentException("every expression limit must be at least 1");
    }
  }
}
