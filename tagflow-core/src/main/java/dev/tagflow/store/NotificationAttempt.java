package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One request sent to a notification webhook, or a notification dropped before any was.
 *
 * @param delivery the delivery's id, the same on every attempt of one notification
 * @param project the project whose webhook it is
 * @param webhook the webhook's name (never its URL, which may hold a token, nor its key)
 * @param event what happened ({@code sync-succeeded}, …)
 * @param subjectKind {@code application}, {@code run} or {@code promotion}
 * @param subjectName the application, run id or promotion request id
 * @param attempt the number of this attempt, from 1 (0 when dropped unsent)
 * @param outcome how the attempt ended
 * @param status the receiver's HTTP status, when it answered
 * @param detail {@code OK}, {@code HTTP 500}, {@code connection refused or unreachable}, …
 * @param at when the attempt ended
 */
public record NotificationAttempt(
    String delivery,
    String project,
    String webhook,
    String event,
    String subjectKind,
    String subjectName,
    int attempt,
    Outcome outcome,
    Optional<Integer> status,
    String detail,
    Instant at) {

  public NotificationAttempt {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(subjectKind, "subjectKind");
    Objects.requireNonNull(subjectName, "subjectName");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(at, "at");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be 0 or more");
    }
  }

  /** How one attempt ended. */
  public enum Outcome {
    /** The receiver took it (2xx): the delivery is done. */
    DELIVERED,
    /** It failed and will be tried again after a back-off. */
    RETRYING,
    /** It failed and is the last: every attempt failed, or the receiver refused it (a 4xx). */
    FAILED,
    /** The queue was full: a newer notification took its place before it was sent. */
    DROPPED
  }
}
