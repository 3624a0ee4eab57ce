package dev.tagflow.pipeline.workflow;

/**
 * The lines of a workflow file, to place a character of a value ({@code offset} into a {@link
 * Text}) in the file: an expression's mistake in the middle of a {@code run: |} block is reported
 * at its own line and column, not at the block's start.
 */
final class SourceLines {

  private final String[] lines;

  SourceLines(String text) {
    this.lines = text.split("\n", -1);
  }

  /**
   * Where the character at {@code offset} of the value is written. Exact for plain and quoted
   * values on one line ({@code ''} in single quotes counted) and for literal blocks ({@code |});
   * the value's start for folded blocks and values spread over several lines, whose line breaks
   * YAML folds.
   */
  Position locate(Text text, int offset) {
    Position at = text.at();
    String value = text.value();
    if (offset <= 0 || offset > value.length() || at.line() > lines.length) {
      return at;
    }
    String line = lines[at.line() - 1];
    char first = at.column() <= line.length() ? line.charAt(at.column() - 1) : ' ';
    boolean oneLine = value.indexOf('\n') < 0;
    Position placed =
        switch (first) {
          case '|' -> inBlock(at, value, offset);
          case '>' -> at;
          case '\'' -> oneLine ? shift(at, 1 + offset + count(value, '\'', offset)) : at;
          case '"' -> oneLine && line.indexOf('\\') < 0 ? shift(at, 1 + offset) : at;
          default -> oneLine ? shift(at, offset) : at;
        };
    return placed.line() <= lines.length && placed.column() <= lines[placed.line() - 1].length() + 1
        ? placed
        : at;
  }

  /** A literal block: its lines follow the indicator's line, all indented alike. */
  private Position inBlock(Position at, String value, int offset) {
    int indent = -1;
    for (int i = at.line(); i < lines.length && indent < 0; i++) {
      if (!lines[i].isBlank()) {
        indent = lines[i].length() - lines[i].stripLeading().length();
      }
    }
    if (indent < 0) {
      return at;
    }
    int lineInValue = count(value, '\n', offset);
    int lineStart = value.lastIndexOf('\n', offset - 1) + 1;
    return new Position(at.line() + 1 + lineInValue, indent + offset - lineStart + 1);
  }

  private static Position shift(Position at, int columns) {
    return new Position(at.line(), at.column() + columns);
  }

  private static int count(String value, char c, int before) {
    int n = 0;
    for (int i = 0; i < before; i++) {
      if (value.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
