package dev.tagflow.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A webhook a project's events are sent to, as the settings file's {@code projects[].notifications}
 * says it.
 *
 * @param name how deliveries, logs and metrics name it (its URL is never shown: a Slack URL is a
 *     secret)
 * @param url where the events are POSTed
 * @param format the body's shape
 * @param on the events sent; all of them when the file names none
 * @param secret the key of the body's HMAC signature; required for {@code generic}
 */
public record NotificationWebhook(
    String name, URI url, Format format, Set<Trigger> on, Optional<SecretSource> secret) {

  public NotificationWebhook {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(format, "format");
    on = Set.copyOf(on);
    Objects.requireNonNull(secret, "secret");
  }

  /** The body's shape. */
  public enum Format {
    /** Tagflow's JSON: event, application or run, project, revision, message, time, link. */
    GENERIC,
    /** A Slack incoming webhook's {@code text} and {@code blocks}. */
    SLACK;

    public String word() {
      return name().toLowerCase();
    }
  }

  /** What a webhook may be told about. */
  public enum Trigger {
    SYNC_SUCCEEDED,
    SYNC_FAILED,
    HEALTH_DEGRADED,
    ROLLBACK,
    APPROVAL_REQUESTED,
    RUN_FAILED;

    /** The name in the settings file and in payloads: {@code sync-succeeded}. */
    public String word() {
      return name().toLowerCase().replace('_', '-');
    }

    public static Optional<Trigger> of(String word) {
      return Arrays.stream(values()).filter(t -> t.word().equals(word)).findFirst();
    }

    public static List<String> words() {
      return Arrays.stream(values()).map(Trigger::word).toList();
    }
  }

  /** Where the signing key is read from: never the settings file itself. */
  public sealed interface SecretSource {

    /** A file holding the key (trailing new lines are not part of it). */
    record File(Path path) implements SecretSource {}

    /** An environment variable of the server's process. */
    record Env(String variable) implements SecretSource {}
  }
}
