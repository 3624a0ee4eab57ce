package dev.tagflow.pipeline.workflow;

import java.util.Objects;

/**
 * A value of a workflow exactly as written, with where it starts, so that its expressions ({@code
 * ${{ … }}}) can be checked and evaluated later and their mistakes placed in the file.
 *
 * @param value the text as YAML gives it (quotes and block indentation removed, nothing else)
 * @param at where the value starts: the first character, or the quote or block indicator
 */
public record Text(String value, Position at) {

  public Text {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(at, "at");
  }

  /** Whether the text holds an expression, {@code ${{ … }}}. */
  public boolean hasExpression() {
    return value.contains("${{");
  }

  @Override
  public String toString() {
    return value;
  }
}
