package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/** Where the live state of an object comes from: the API server itself, or a watch-fed cache. */
@FunctionalInterface
public interface LiveLookup {

  /**
   * The object as the cluster has it now.
   *
   * @return empty only when the cluster says it does not exist, never because it could not be read
   * @throws ClusterException when it cannot be read ({@link ClusterFailure#GONE_KIND} when its kind
   *     is confirmed not served, {@link ClusterFailure#UNAVAILABLE} when the server did not answer)
   */
  Optional<GenericKubernetesResource> live(ObjectRef ref);
}
