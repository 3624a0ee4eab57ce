package dev.tagflow.apply;

import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replace=true: an object whose immutable field changed (a Job's template, a Deployment's selector)
 * is deleted, awaited until gone, and created again.
 */
final class Recreation {

  private static final Logger log = LoggerFactory.getLogger(Recreation.class);

  private final ClusterGateway cluster;

  Recreation(ClusterGateway cluster) {
    this.cluster = cluster;
  }

  ChangeSetEntry recreate(
      GenericKubernetesResource desired, ObjectRef ref, ApplyOptions options, String why) {
    try {
      cluster.delete(ref);
      // Applying to an object that is still being deleted would only patch the dying object.
      if (!cluster.waitUntilGone(ref, options.waitTimeout())) {
        return new ChangeSetEntry(
            ref,
            Action.FAILED,
            "deleted to be recreated (immutable field), but still there after "
                + options.waitTimeout().toSeconds()
                + " s; check its finalizers");
      }
      cluster.apply(desired, ApplyCall.forced(options.fieldManager()));
    } catch (ClusterException e) {
      return ChangeSetEntry.failed(ref, "could not recreate it", e);
    }
    log.info(
        "application={} object={} action=configured (recreated: {})",
        options.application(),
        ref,
        why);
    return new ChangeSetEntry(ref, Action.CONFIGURED, "recreated: an immutable field changed");
  }

  @SuppressWarnings("unchecked")
  static boolean isEstablished(GenericKubernetesResource crd) {
    if (crd == null || !(crd.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return false;
    }
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .anyMatch(c -> "Established".equals(c.get("type")) && "True".equals(c.get("status")));
  }
}
