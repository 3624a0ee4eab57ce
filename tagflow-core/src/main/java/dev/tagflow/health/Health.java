package dev.tagflow.health;

import java.util.Arrays;
import java.util.Optional;

/**
 * How healthy an object or an application is, ordered from best to worst so that aggregation is
 * "the worst one wins".
 *
 * <p>The order is deliberate: an object we cannot judge ({@link #UNKNOWN}) is worse than a broken
 * one, because "we do not know" must never let a rollout pass a health gate; a missing object is
 * less bad than a degraded one because it is usually about to be created.
 */
public enum Health {
  /** Running as asked. */
  HEALTHY("Healthy"),
  /** Deliberately paused or suspended (a paused Deployment, a suspended Job). */
  SUSPENDED("Suspended"),
  /** Not there yet, but moving towards healthy (a rollout in progress). */
  PROGRESSING("Progressing"),
  /** Expected but not in the cluster. */
  MISSING("Missing"),
  /** Failed, or stopped making progress (a crash loop, an exceeded progress deadline). */
  DEGRADED("Degraded"),
  /** Cannot be judged (the status is absent or unreadable). */
  UNKNOWN("Unknown");

  private final String displayName;

  Health(String displayName) {
    this.displayName = displayName;
  }

  /** Whether this is worse than {@code other} in the order Healthy < … < Unknown. */
  public boolean isWorseThan(Health other) {
    return compareTo(other) > 0;
  }

  /** The worse of the two; {@code this} when they are equal. */
  public Health worse(Health other) {
    return other.isWorseThan(this) ? other : this;
  }

  /** The name users read and write: {@code Healthy}, {@code Degraded}, … */
  public String displayName() {
    return displayName;
  }

  /** Parses a display name, ignoring case ({@code healthy}, {@code Degraded}). */
  public static Optional<Health> parse(String text) {
    return Arrays.stream(values()).filter(h -> h.displayName.equalsIgnoreCase(text)).findFirst();
  }

  @Override
  public String toString() {
    return displayName;
  }
}
