package dev.tagflow.pipeline.expression;

/**
 * What one evaluation has made so far, against its {@link ExpressionLimits}: every string a
 * function or template makes and every element a filter or {@code fromJSON} makes is counted here
 * before it is kept.
 */
final class Budget {

  private final ExpressionLimits limits;
  private long chars;
  private long elements;

  Budget(ExpressionLimits limits) {
    this.limits = limits;
  }

  ExpressionLimits limits() {
    return limits;
  }

  /** Counts a string this evaluation made, or refuses it. */
  String keep(String made, String what) {
    check(made.length(), what);
    chars += made.length();
    if (chars > limits.maxEvaluationChars()) {
      throw ExpressionException.of(
          "the expression makes more than "
              + limits.maxEvaluationChars()
              + " characters of strings in one evaluation");
    }
    return made;
  }

  /** Refuses a string being made once it is longer than one string may be. */
  void check(long length, String what) {
    if (length > limits.maxStringChars()) {
      throw ExpressionException.of(
          what + " makes a string longer than " + limits.maxStringChars() + " characters");
    }
  }

  /** Counts array elements this evaluation made, or refuses them. */
  void elements(long count, String what) {
    elements += count;
    if (elements > limits.maxElements()) {
      throw ExpressionException.of(
          what + " makes more than " + limits.maxElements() + " array elements in one evaluation");
    }
  }
}
