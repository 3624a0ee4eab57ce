package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.Optional;

/** How a {@link ClusterGateway#waitUntil} ended: the condition held, or time ran out first. */
public sealed interface WaitResult {

  /** Whether the condition held in time. */
  default boolean reached() {
    return this instanceof Reached;
  }

  /**
   * The condition held.
   *
   * @param object the object as it was then; empty when its absence is what met the condition
   */
  record Reached(Optional<GenericKubernetesResource> object) implements WaitResult {}

  /** The condition still did not hold after {@code waited}. */
  record TimedOut(Duration waited) implements WaitResult {}
}
