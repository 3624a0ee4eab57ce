package dev.tagflow.health;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A verdict: the health of one object (or of many, aggregated) and why.
 *
 * <p>The message names the object ({@code "Deployment shop/web: 1/3 replicas available"}) once the
 * {@link HealthRegistry} has judged it, so a verdict can be shown on its own.
 *
 * @param health the verdict
 * @param message why, for a person; empty when there is nothing to add
 */
public record HealthStatus(Health health, String message) {

  public HealthStatus {
    Objects.requireNonNull(health, "health");
    message = message == null ? "" : message;
  }

  public static HealthStatus healthy(String message) {
    return new HealthStatus(Health.HEALTHY, message);
  }

  public static HealthStatus suspended(String message) {
    return new HealthStatus(Health.SUSPENDED, message);
  }

  public static HealthStatus progressing(String message) {
    return new HealthStatus(Health.PROGRESSING, message);
  }

  public static HealthStatus missing(String message) {
    return new HealthStatus(Health.MISSING, message);
  }

  public static HealthStatus degraded(String message) {
    return new HealthStatus(Health.DEGRADED, message);
  }

  public static HealthStatus unknown(String message) {
    return new HealthStatus(Health.UNKNOWN, message);
  }

  /** Whether this verdict is worse than {@code other}. */
  public boolean isWorseThan(HealthStatus other) {
    return health.isWorseThan(other.health);
  }

  /** The same verdict with its message prefixed by the object it is about. */
  public HealthStatus about(String subject) {
    return new HealthStatus(health, message.isEmpty() ? subject : subject + ": " + message);
  }

  /**
   * The verdict of a group of objects: the worst child wins, and the message lists every child at
   * that level so a person sees all that holds the group back, not just the first.
   *
   * @return Healthy with "no objects" for an empty group
   */
  public static HealthStatus aggregate(Collection<HealthStatus> children) {
    if (children.isEmpty()) {
      return healthy("no objects");
    }
    Health worst =
        children.stream().map(HealthStatus::health).max(Comparator.naturalOrder()).orElseThrow();
    List<String> messages =
        children.stream()
            .filter(c -> c.health == worst)
            .map(HealthStatus::message)
            .filter(m -> !m.isEmpty())
            .toList();
    return new HealthStatus(worst, messages.stream().collect(Collectors.joining("; ")));
  }

  @Override
  public String toString() {
    return message.isEmpty() ? health.displayName() : health.displayName() + " (" + message + ")";
  }
}
