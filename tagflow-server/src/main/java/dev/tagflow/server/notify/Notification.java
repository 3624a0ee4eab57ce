package dev.tagflow.server.notify;

import dev.tagflow.server.config.NotificationWebhook.Trigger;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing a project's webhooks may be told.
 *
 * @param event what happened
 * @param subject what it happened to
 * @param project the project whose webhooks are told
 * @param revision the commit or version it happened at, when one is known
 * @param message what happened, for a person
 * @param link where Tagflow shows it
 */
public record Notification(
    Trigger event,
    Subject subject,
    String project,
    Optional<String> revision,
    String message,
    Instant time,
    Optional<URI> link) {

  public Notification {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(link, "link");
  }

  /**
   * What an event is about.
   *
   * @param kind {@code application}, {@code run} or {@code promotion}: the payload's key
   * @param name the application's name, the run's id, the promotion request's id
   */
  public record Subject(String kind, String name) {
    public Subject {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
    }

    public static Subject application(String name) {
      return new Subject("application", name);
    }

    public static Subject run(String id) {
      return new Subject("run", id);
    }

    public static Subject promotion(long id) {
      return new Subject("promotion", Long.toString(id));
    }

    @Override
    public String toString() {
      return kind + "=" + name;
    }
  }
}
