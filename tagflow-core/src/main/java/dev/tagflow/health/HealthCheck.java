package dev.tagflow.health;

/**
 * Judges the health of one kind of object from its live state.
 *
 * <p>A check reads the object as the API server returned it, whatever its API version, and says
 * only what it sees; the {@link HealthRegistry} adds the object's name to the message.
 */
@FunctionalInterface
public interface HealthCheck {

  /** The verdict for {@code object}; its message need not name the object. */
  HealthStatus check(KubeObject object);
}
