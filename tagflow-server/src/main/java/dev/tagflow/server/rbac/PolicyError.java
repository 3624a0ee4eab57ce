package dev.tagflow.server.rbac;

/**
 * A policy line that cannot be used, with where it is and why; the whole policy is refused.
 *
 * @param source where the lines came from, e.g. {@code tagflow.yaml rbac.policy}
 * @param line 1-based line number within the policy text
 * @param column 1-based column of the field at fault
 */
public record PolicyError(String source, int line, int column, String reason) {

  public String message() {
    return source + ":" + line + ":" + column + ": " + reason;
  }
}
