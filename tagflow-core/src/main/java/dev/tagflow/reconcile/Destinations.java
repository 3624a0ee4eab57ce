package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.schedule.SyncWindows;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The clusters applications are synced to: for an Application, the steps bound to its destination
 * cluster's engine and live-state cache, kept for as long as the connection.
 */
public interface Destinations extends AutoCloseable {

  /**
   * The steps of the application's destination.
   *
   * @throws dev.tagflow.TagflowException (INVALID_INPUT) when the destination names no cluster
   *     Tagflow knows; a {@link dev.tagflow.cluster.ClusterException} when the cluster cannot be
   *     reached to learn what it serves
   */
  ApplicationSync syncFor(Application application);

  /**
   * Why the application's project does not let it put objects in that namespace of its destination
   * cluster (see {@link ProjectPolicy}); empty when it may.
   */
  Optional<String> refusal(Application application, String namespace);

  /**
   * The sync windows that apply to the application: its project's that select it (by its name,
   * destination namespace or destination cluster) and its environment's ({@link
   * EnvironmentWindows}), judged together; none by default.
   */
  default SyncWindows syncWindows(Application application) {
    return SyncWindows.none();
  }

  /**
   * What each of these objects of the application owns in its destination (ReplicaSets, Pods, …),
   * for those that own anything; none by default.
   *
   * @throws dev.tagflow.cluster.ClusterException when the cluster cannot be read
   */
  default Map<ObjectRef, List<OwnedObject>> owned(
      Application application, Collection<ObjectRef> objects) {
    return Map.of();
  }

  /**
   * Calls the listener with every object a destination's live-state cache sees added, changed or
   * deleted, in every destination, present and future.
   */
  void addObjectListener(Consumer<GenericKubernetesResource> listener);

  @Override
  void close();
}
