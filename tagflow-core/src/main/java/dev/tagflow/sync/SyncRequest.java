package dev.tagflow.sync;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/**
 * What to sync: an application's desired objects at a revision, into a destination namespace.
 *
 * @param application the application's name (tracking ids, inventory, logs)
 * @param revision the Git revision the objects come from (logs and history)
 * @param destinationNamespace where namespaced objects without a namespace go
 * @param desired the rendered objects, hooks included
 * @param options how
 */
public record SyncRequest(
    String application,
    String revision,
    String destinationNamespace,
    List<GenericKubernetesResource> desired,
    SyncOptions options) {

  public SyncRequest {
    desired = List.copyOf(desired);
  }
}
