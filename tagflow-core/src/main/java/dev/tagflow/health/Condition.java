package dev.tagflow.health;

import java.util.Map;

/**
 * One entry of an object's {@code status.conditions}, the convention most kinds share.
 *
 * @param type e.g. {@code Ready}, {@code Available}, {@code Progressing}
 * @param status {@code True}, {@code False} or {@code Unknown}
 * @param reason a machine-readable reason, {@code ""} when absent
 * @param message a human-readable message, {@code ""} when absent
 */
public record Condition(String type, String status, String reason, String message) {

  static Condition from(Map<?, ?> entry) {
    return new Condition(
        text(entry.get("type")),
        text(entry.get("status")),
        text(entry.get("reason")),
        text(entry.get("message")));
  }

  public boolean isTrue() {
    return "True".equalsIgnoreCase(status);
  }

  public boolean isFalse() {
    return "False".equalsIgnoreCase(status);
  }

  /** The message, else the reason, else {@code "<type> is <status>"}: never empty. */
  public String explanation() {
    if (!message.isEmpty()) {
      return message;
    }
    if (!reason.isEmpty()) {
      return type + " is " + status + " (" + reason + ")";
    }
    return type + " is " + status;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
