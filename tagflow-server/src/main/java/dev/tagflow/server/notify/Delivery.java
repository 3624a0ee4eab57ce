package dev.tagflow.server.notify;

import dev.tagflow.server.config.NotificationWebhook.Trigger;
import dev.tagflow.store.NotificationAttempt;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to send a notification to one webhook, as the store keeps it and the UI lists it.
 *
 * @param id the {@code X-Tagflow-Delivery} header, the same on every attempt
 * @param attempts the number of this attempt: how many requests were sent so far (0 when it was
 *     dropped unsent)
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

  /** The attempt as the store keeps it (the webhook by name: the URL and key are not in it). */
  public NotificationAttempt attempt() {
    return new NotificationAttempt(
        id,
        project,
        webhook,
        event.word(),
        subject.kind(),
        subject.name(),
        attempts,
        NotificationAttempt.Outcome.valueOf(result.name()),
        status,
        detail,
        at);
  }

  /**
   * An attempt the store kept; empty for an event this Tagflow does not know (recorded by a newer
   * version).
   */
  public static Optional<Delivery> of(NotificationAttempt attempt) {
    return Trigger.of(attempt.event())
        .map(
            event ->
                new Delivery(
                    attempt.delivery(),
                    attempt.project(),
                    attempt.webhook(),
                    event,
                    new Notification.Subject(attempt.subjectKind(), attempt.subjectName()),
                    Result.valueOf(attempt.outcome().name()),
                    attempt.attempt(),
                    attempt.status(),
                    attempt.detail(),
                    attempt.at()));
  }

  /** How an attempt ended. */
  public enum Result {
    DELIVERED,
    /** It failed and is tried again after a back-off. */
    RETRYING,
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
