package dev.tagflow.pipeline.expression;

import dev.tagflow.TagflowException;

/**
 * An expression that cannot be parsed or evaluated: the message says what is wrong and at which
 * column of the text it was given (the inside of {@code ${{ }}}, a template or an {@code if:}).
 *
 * <p>{@link #offset()} is that place as a 0-based offset into the text, so a caller that knows
 * where the text starts in its file can turn it into a line and column there; the message counts
 * columns from 1. It is -1 when the failure has no place in the text (a limit of the whole
 * evaluation, a workspace that is not there).
 */
public final class ExpressionException extends TagflowException {

  private final String detail;
  private final int offset;

  private ExpressionException(String detail, int offset) {
    super(Reason.INVALID_INPUT, offset < 0 ? detail : detail + " (column " + (offset + 1) + ")");
    this.detail = detail;
    this.offset = offset;
  }

  /** A failure at {@code offset} (0-based) of the text; the message gets the column. */
  static ExpressionException at(int offset, String message) {
    return new ExpressionException(message, offset);
  }

  /** A failure of the whole evaluation, with no place in the text. */
  static ExpressionException of(String message) {
    return new ExpressionException(message, -1);
  }

  /** Where in the text the failure is, 0-based; -1 when it has no place. */
  public int offset() {
    return offset;
  }

  /** The same failure at {@code offset} if it had no place yet. */
  ExpressionException placedAt(int offset) {
    return this.offset < 0 ? new ExpressionException(detail, offset) : this;
  }

  /** The same failure placed {@code shift} characters further, for a part of a larger text. */
  ExpressionException shifted(int shift) {
    if (offset < 0) {
      return this;
    }
    return new ExpressionException(detail, offset + shift);
  }
}
