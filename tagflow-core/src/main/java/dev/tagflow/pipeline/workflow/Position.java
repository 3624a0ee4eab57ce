package dev.tagflow.pipeline.workflow;

import org.yaml.snakeyaml.error.Mark;

/**
 * A place in a workflow file.
 *
 * @param line 1-based
 * @param column 1-based
 */
public record Position(int line, int column) {

  public Position {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
    }
  }

  static Position of(Mark mark) {
    return new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
