package dev.tagflow.diff;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/**
 * One desired object compared with the cluster, with what acting on the comparison needs, so that
 * an apply asks the server nothing the comparison already asked: the object as it is sent, the live
 * object the comparison saw, and why the server refused or did not answer its dry-run.
 *
 * @param diff how the object compares with the cluster
 * @param desired the object as it is applied (namespace filled in, tracking marks added); empty
 *     when the cluster does not serve its kind
 * @param live the live object the comparison was made against; empty when it does not exist (or
 *     could not be read: then {@code failure} says why)
 * @param failure why the comparison is incomplete: the dry-run was refused (invalid, forbidden, an
 *     immutable field, its namespace missing), the object could not be read, or its kind is not
 *     served ({@link ClusterFailure#GONE_KIND}); empty when the dry-run passed (or a remembered one
 *     did)
 */
public record Comparison(
    ResourceDiff diff,
    Optional<GenericKubernetesResource> desired,
    Optional<GenericKubernetesResource> live,
    Optional<ClusterException> failure) {

  /** Whether the failure, if any, is that one. */
  public boolean failedWith(ClusterFailure reason) {
    return failure.map(e -> e.is(reason)).orElse(false);
  }
}
