package dev.tagflow.apply;

import dev.tagflow.cluster.ObjectRef;
import java.util.Comparator;
import java.util.List;

/**
 * The order kinds are applied in (Helm's and Argo CD's): Namespaces, then what other objects refer
 * to (quotas, accounts, Secrets, ConfigMaps, storage, CRDs, RBAC), then Services and workloads;
 * kinds not listed (custom resources) come last, after their definitions.
 */
public final class KindOrder {

  private static final List<String> KINDS =
      List.of(
          "Namespace",
          "NetworkPolicy",
          "ResourceQuota",
          "LimitRange",
          "PodSecurityPolicy",
          "PodDisruptionBudget",
          "ServiceAccount",
          "Secret",
          "SecretList",
          "ConfigMap",
          "StorageClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleList",
          "ClusterRoleBinding",
          "ClusterRoleBindingList",
          "Role",
          "RoleList",
          "RoleBinding",
          "RoleBindingList",
          "Service",
          "DaemonSet",
          "Pod",
          "ReplicationController",
          "ReplicaSet",
          "Deployment",
          "HorizontalPodAutoscaler",
          "StatefulSet",
          "Job",
          "CronJob",
          "Ingress",
          "APIService");

  /** Kind order, then namespace, then name. */
  public static final Comparator<ObjectRef> OBJECTS =
      Comparator.comparingInt((ObjectRef r) -> rank(r.kind()))
          .thenComparing(ObjectRef::kind)
          .thenComparing(ObjectRef::namespace)
          .thenComparing(ObjectRef::name);

  private KindOrder() {}

  /** The kind's place; every unlisted kind shares the last place. */
  public static int rank(String kind) {
    int index = KINDS.indexOf(kind);
    return index < 0 ? KINDS.size() : index;
  }

  /** Whether the kind must exist before others can be applied: Namespaces and CRDs. */
  public static boolean isClusterDefinition(ObjectRef ref) {
    return (ref.kind().equals("Namespace") && ref.group().isEmpty())
        || (ref.kind().equals("CustomResourceDefinition")
            && ref.group().equals("apiextensions.k8s.io"));
  }
}
