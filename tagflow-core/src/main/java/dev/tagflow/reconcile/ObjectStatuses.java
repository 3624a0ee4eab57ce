package dev.tagflow.reconcile;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.LiveLookup;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.diff.Tracking;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.ObjectStatus;
import dev.tagflow.reconcile.ApplicationStatus.ObjectSync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-object part of a status, from a comparison: each object's sync and health, which fields
 * drifted and who changed them, and which objects another application owns.
 *
 * @param objects one status per compared object
 * @param code Synced when every object is, OutOfSync when any differs, is missing or is extra,
 *     Unknown when none differs but one could not be compared
 * @param shared the objects that carry another application's tracking id, with that application
 */
record ObjectStatuses(List<ObjectStatus> objects, SyncCode code, Map<ObjectRef, String> shared) {

  static ObjectStatuses of(
      String application,
      List<ResourceDiff> diffs,
      Map<ObjectRef, HealthStatus> health,
      LiveLookup live) {
    List<ObjectStatus> objects = new ArrayList<>();
    Map<ObjectRef, String> shared = new java.util.LinkedHashMap<>();
    boolean differs = false;
    boolean unknown = false;
    for (ResourceDiff diff : diffs) {
      ObjectRef ref = diff.object();
      Optional<HealthStatus> verdict = Optional.ofNullable(health.get(ref));
      ObjectStatus status =
          switch (diff) {
            case ResourceDiff.InSync in ->
                new ObjectStatus(ref, ObjectSync.SYNCED, verdict, "", List.of());
            case ResourceDiff.OutOfSync out ->
                new ObjectStatus(ref, ObjectSync.OUT_OF_SYNC, verdict, "", out.fields());
            case ResourceDiff.Missing missing ->
                new ObjectStatus(ref, ObjectSync.MISSING, verdict, "", List.of());
            case ResourceDiff.Extra extra ->
                new ObjectStatus(
                    ref,
                    ObjectSync.EXTRA,
                    Optional.empty(),
                    "no longer in Git; deleted by a sync with prune",
                    List.of());
            case ResourceDiff.Unknown u ->
                new ObjectStatus(ref, ObjectSync.UNKNOWN, verdict, u.reason(), List.of());
          };
      objects.add(status);
      switch (status.sync()) {
        case OUT_OF_SYNC, MISSING, EXTRA -> differs = true;
        case UNKNOWN -> unknown = true;
        case SYNCED -> {}
      }
      if (status.sync() == ObjectSync.OUT_OF_SYNC) {
        owner(ref, live).filter(o -> !o.equals(application)).ifPresent(o -> shared.put(ref, o));
      }
    }
    SyncCode code = differs ? SyncCode.OUT_OF_SYNC : unknown ? SyncCode.UNKNOWN : SyncCode.SYNCED;
    return new ObjectStatuses(objects, code, shared);
  }

  /** The objects that drifted, with their fields: "Deployment/shop/web: spec.replicas (by …)". */
  String driftSummary() {
    List<String> parts = new ArrayList<>();
    for (ObjectStatus object : objects) {
      if (object.sync() == ObjectSync.OUT_OF_SYNC && !shared.containsKey(object.object())) {
        parts.add(
            object.object().subject()
                + (object.drift().isEmpty()
                    ? ""
                    : ": "
                        + String.join(
                            ", ", object.drift().stream().map(Object::toString).toList())));
      } else if (object.sync() == ObjectSync.MISSING) {
        parts.add(object.object().subject() + ": deleted from the cluster");
      }
    }
    return String.join("; ", parts);
  }

  /** Whether only objects that exist and drifted (or were deleted) differ, none merely extra. */
  boolean hasDrift() {
    return !driftSummary().isEmpty();
  }

  private static Optional<String> owner(ObjectRef ref, LiveLookup live) {
    try {
      Optional<GenericKubernetesResource> object = live.live(ref);
      return object.flatMap(Tracking::trackedBy);
    } catch (ClusterException e) {
      // Whether another application owns it is a warning's business: unknown is no warning.
      return Optional.empty();
    }
  }
}
