package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/** Where the live state of an object comes from: the API server itself, or a watch-fed cache. */
@FunctionalInterface
public interface LiveLookup {

  /** The object as the cluster has it now, or empty when it does not exist. */
  Optional<GenericKubernetesResource> live(ObjectRef ref);
}
