package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to an application, for people to read.
 *
 * @param application the application's name
 * @param time when it happened (the store keeps milliseconds)
 * @param type routine or asking for attention
 * @param reason a short CamelCase word a script can match ({@code SyncSucceeded}, {@code
 *     DriftHealed}, {@code RolledBack})
 * @param message what happened, for a person
 */
public record Event(
    String application, Instant time, EventType type, String reason, String message) {
  public Event {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
