package dev.tagflow.app;

import java.util.Objects;

/**
 * One thing wrong in an Application file, where it is and what to do about it.
 *
 * @param file the file as named to the loader
 * @param line 1-based
 * @param column 1-based
 * @param message what is wrong and, where we can tell, how to fix it
 */
public record Problem(String file, int line, int column, String message) {

  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:column: message}, the form editors and terminals turn into links. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
