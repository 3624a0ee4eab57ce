package dev.tagflow.yaml;

import org.yaml.snakeyaml.error.Mark;

/**
 * What {@link YamlReader} found wrong while building a tree, where it found it; it becomes a {@code
 * file:line:column: invalid YAML: …} message once the file is known.
 */
final class ParseFailure extends RuntimeException {

  private final transient Mark at;

  /**
   * @param at where the problem is; null when no event was read yet
   */
  ParseFailure(String message, Mark at, Throwable cause) {
    super(message, cause, false, false);
    this.at = at;
  }

  ParseFailure(String message, Mark at) {
    this(message, at, null);
  }

  /** The line, from 1; 0 when unknown. */
  int line() {
    return at == null ? 0 : at.getLine() + 1;
  }

  /** The column, from 1; 0 when unknown. */
  int column() {
    return at == null ? 0 : at.getColumn() + 1;
  }
}
