package dev.tagflow.reconcile;

import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.HealthStatus;
import java.util.List;

/**
 * An object in the cluster that one of an application's objects owns (its {@code
 * metadata.ownerReferences}), as Argo CD's resource tree shows it: a Deployment's ReplicaSets,
 * their Pods.
 *
 * @param object the owned object
 * @param health its health, as the health checks judge it, with their message
 * @param owned what it owns in turn
 */
public record OwnedObject(ObjectRef object, HealthStatus health, List<OwnedObject> owned) {

  public OwnedObject {
    owned = List.copyOf(owned);
  }
}
