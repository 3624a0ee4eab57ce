package dev.tagflow.reconcile;

import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.release.ReleaseReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The digests running Pods report for image references ({@code status.containerStatuses[].imageID},
 * and the same for init and ephemeral containers): what a tag such as {@code web:1.2.3} resolved to
 * when it was pulled. Asked once per sync, when the application has become Healthy.
 */
final class PodDigests {

  private PodDigests() {}

  /**
   * The digest of each of these references, as the Pods of the namespace report it; a reference no
   * Pod runs, or whose Pods disagree (the tag moved between pulls), is left out.
   *
   * @throws ClusterException when the Pods cannot be listed
   */
  static Map<String, String> of(ClusterGateway cluster, String namespace, Set<String> references) {
    Map<String, String> digests = new LinkedHashMap<>();
    if (references.isEmpty()) {
      return digests;
    }
    Optional<ApiResource> pods = cluster.discovery().find("v1", "Pod");
    if (pods.isEmpty()) {
      return digests;
    }
    Map<String, String> disagreeing = new LinkedHashMap<>();
    for (GenericKubernetesResource pod : cluster.list(pods.get(), namespace, Map.of())) {
      if (!(pod.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
        continue;
      }
      for (String field :
          List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
        if (!(status.get(field) instanceof List<?> statuses)) {
          continue;
        }
        for (Object entry : statuses) {
          if (entry instanceof Map<?, ?> container
              && container.get("image") instanceof String image
              && references.contains(image)
              && container.get("imageID") instanceof String imageId) {
            Optional<String> digest = ReleaseReader.digestOfImageId(imageId);
            if (digest.isEmpty()) {
              continue;
            }
            String before = digests.putIfAbsent(image, digest.get());
            if (before != null && !before.equals(digest.get())) {
              disagreeing.put(image, digest.get());
            }
          }
        }
      }
    }
    disagreeing.keySet().forEach(digests::remove);
    return digests;
  }
}
