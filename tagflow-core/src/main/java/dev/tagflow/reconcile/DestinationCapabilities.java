package dev.tagflow.reconcile;

import dev.tagflow.GroupKind;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.render.Capabilities;
import java.util.HashSet;
import java.util.Set;

/**
 * What a destination cluster offers to the renderer, read from its discovery: the version and API
 * versions charts branch on, and which kinds are namespaced (custom resources included), so
 * namespaces are defaulted as the cluster will take them.
 */
public final class DestinationCapabilities {

  /** Reads them once; a controller keeps the result per cluster and reads again on a new CRD. */
  public Capabilities of(ClusterGateway cluster) {
    Set<String> apiVersions = new HashSet<>();
    Set<GroupKind> namespaced = new HashSet<>();
    Set<GroupKind> clusterScoped = new HashSet<>();
    for (ApiResource kind : cluster.discovery().all()) {
      apiVersions.add(kind.apiVersion());
      (kind.namespaced() ? namespaced : clusterScoped)
          .add(new GroupKind(kind.group(), kind.kind()));
    }
    return new Capabilities(cluster.kubeVersion(), apiVersions, namespaced, clusterScoped);
  }
}
