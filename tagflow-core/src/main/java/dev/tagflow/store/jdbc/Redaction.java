package dev.tagflow.store.jdbc;

import java.util.List;

/**
 * The passwords of a database connection, kept so that no message the store writes contains one: a
 * driver's or Flyway's message may repeat the URL as it was given.
 */
record Redaction(List<String> secrets) {

  Redaction {
    secrets = secrets.stream().filter(s -> !s.isEmpty()).toList();
  }

  /** The text with every password replaced by {@code ***}. */
  String scrub(String text) {
    String scrubbed = text == null ? "" : text;
    for (String secret : secrets) {
      scrubbed = scrubbed.replace(secret, "***");
    }
    return scrubbed;
  }

  /** The scrubbed text as a clause of our own sentence: without its closing full stop. */
  String clause(String text) {
    return scrub(text).strip().replaceAll("[.\\s]+$", "");
  }

  /**
   * The failure to keep as a cause, or null when a message in its chain shows a password (the
   * scrubbed message says what is needed then).
   */
  Throwable safeCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && secrets.stream().anyMatch(message::contains)) {
        return null;
      }
    }
    return failure;
  }
}
