package dev.tagflow.server.notify;

import dev.tagflow.server.config.NotificationWebhook.Trigger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one notification sent to one webhook, as the UI lists it.
 *
 * @param id the {@code X-Tagflow-Delivery} header, the same on every attempt
 * @param attempts how many requests were sent (0 when it was dropped unsent)
 * @param status the receiver's last HTTP status, when it answered
 * @param detail why it failed ({@code HTTP 500}, {@code connection refused}), or {@code OK}
 */
public record Delivery(
    String id,
    String project,
    String webhook,
    Trigger event,
    Notification.Subject subject,
    Result result,
    int attempts,
    Optional<Integer> status,
    String detail,
    Instant at) {

  public Delivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(at, "at");
  }

  /** How a delivery ended. */
  public enum Result {
    DELIVERED,
    /** Every attempt failed, or the receiver refused it for good (a 4xx). */
    FAILED,
    /** The queue was full: a newer notification took its place before it was sent. */
    DROPPED;

    /** The metric's label: {@code delivered}, {@code failed}, {@code dropped}. */
    public String word() {
      return name().toLowerCase();
    }
  }
}
