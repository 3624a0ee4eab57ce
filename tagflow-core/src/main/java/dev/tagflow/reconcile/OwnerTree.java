package dev.tagflow.reconcile;

import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.LiveStateCache;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.health.HealthRegistry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an application's workloads own in the cluster, by {@code metadata.ownerReferences}: a
 * Deployment's ReplicaSets and their Pods, a StatefulSet's or DaemonSet's Pods, a CronJob's Jobs
 * and their Pods. Read from the destination's live-state cache: the owned kinds are watched in the
 * application's namespaces only ({@link LiveStateCache#inNamespace}), so a big cluster's other Pods
 * are not held. ReplicaSets scaled to zero that own nothing (a Deployment's old revisions) are left
 * out, as are owned objects past {@value #PER_OWNER} of one owner.
 */
final class OwnerTree {

  /** Owner, owned, owned by the owned: a CronJob's Job's Pods. */
  static final int DEPTH = 3;

  /** The most owned objects shown under one owner. */
  static final int PER_OWNER = 50;

  /** The kinds that own what is worth showing, as group/kind. */
  static final Set<String> OWNERS =
      Set.of(
          "apps/Deployment",
          "apps/StatefulSet",
          "apps/DaemonSet",
          "apps/ReplicaSet",
          "batch/CronJob",
          "batch/Job");

  /** The owned kinds looked up, as apiVersion and kind, in the order they are shown. */
  private static final List<List<String>> OWNED =
      List.of(List.of("apps/v1", "ReplicaSet"), List.of("batch/v1", "Job"), List.of("v1", "Pod"));

  private final ClusterGateway cluster;
  private final LiveStateCache cache;
  private final HealthRegistry health;

  OwnerTree(ClusterGateway cluster, LiveStateCache cache, HealthRegistry health) {
    this.cluster = cluster;
    this.cache = cache;
    this.health = health;
  }

  /** What each of these objects owns, for those that own anything. */
  Map<ObjectRef, List<OwnedObject>> of(Collection<ObjectRef> objects) {
    Map<ObjectRef, List<OwnedObject>> tree = new LinkedHashMap<>();
    Map<String, List<GenericKubernetesResource>> candidates = new HashMap<>();
    for (ObjectRef ref : objects) {
      if (!OWNERS.contains(group(ref.apiVersion()) + "/" + ref.kind())
          || ref.namespace() == null
          || ref.namespace().isEmpty()) {
        continue;
      }
      Optional<String> uid = cache.live(ref).map(live -> live.getMetadata().getUid());
      if (uid.isEmpty()) {
        continue;
      }
      List<GenericKubernetesResource> inNamespace =
          candidates.computeIfAbsent(ref.namespace(), this::ownedKindsIn);
      List<OwnedObject> owned = owned(uid.get(), inNamespace, DEPTH);
      if (!owned.isEmpty()) {
        tree.put(ref, owned);
      }
    }
    return tree;
  }

  private List<GenericKubernetesResource> ownedKindsIn(String namespace) {
    List<GenericKubernetesResource> all = new ArrayList<>();
    for (List<String> kind : OWNED) {
      Optional<ApiResource> type = cluster.discovery().find(kind.get(0), kind.get(1));
      type.ifPresent(t -> all.addAll(cache.inNamespace(t, namespace)));
    }
    return all;
  }

  private List<OwnedObject> owned(
      String uid, List<GenericKubernetesResource> candidates, int depth) {
    List<OwnedObject> owned = new ArrayList<>();
    candidates.stream()
        .filter(o -> ownedBy(o, uid))
        .sorted(SHOWN)
        .forEach(
            o -> {
              List<OwnedObject> below =
                  depth > 1 ? owned(o.getMetadata().getUid(), candidates, depth - 1) : List.of();
              if (below.isEmpty() && scaledToZero(o)) {
                return;
              }
              owned.add(new OwnedObject(ObjectRef.of(o), health.assess(o), below));
            });
    return owned.size() > PER_OWNER ? owned.subList(0, PER_OWNER) : owned;
  }

  /** By kind as {@link #OWNED} orders them, the newest first, then by name. */
  private static final Comparator<GenericKubernetesResource> SHOWN =
      Comparator.<GenericKubernetesResource>comparingInt(
              o -> OWNED.indexOf(List.of(o.getApiVersion(), o.getKind())))
          .thenComparing(
              o -> Optional.ofNullable(o.getMetadata().getCreationTimestamp()).orElse(""),
              Comparator.reverseOrder())
          .thenComparing(o -> o.getMetadata().getName());

  private static boolean ownedBy(GenericKubernetesResource object, String uid) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  private static boolean scaledToZero(GenericKubernetesResource object) {
    return "ReplicaSet".equals(object.getKind())
        && object.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
        && spec.get("replicas") instanceof Number replicas
        && replicas.intValue() == 0;
  }

  private static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
