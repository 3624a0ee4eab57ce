package dev.tagflow.render;

import dev.tagflow.GroupKind;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the destination cluster offers, as discovery reports it: charts branch on the version and
 * the API versions, and namespace defaulting needs to know which kinds are namespaced.
 *
 * @param kubeVersion the Kubernetes version ({@code v1.37.2}), Helm's {@code
 *     .Capabilities.KubeVersion}
 * @param apiVersions the group versions served ({@code apps/v1}, {@code v1}); part of the cache
 *     key, but not yet what charts see as {@code .Capabilities.APIVersions}: helm-java 0.0.21's
 *     template call takes no API versions, so charts see Helm's built-in list (no custom resources'
 *     versions)
 * @param namespacedKinds kinds whose objects live in a namespace
 * @param clusterScopedKinds kinds whose objects do not; a kind in neither set is unknown (a custom
 *     resource whose definition is not installed yet)
 */
public record Capabilities(
    String kubeVersion,
    Set<String> apiVersions,
    Set<GroupKind> namespacedKinds,
    Set<GroupKind> clusterScopedKinds) {

  /** The cluster-scoped kinds of a plain Kubernetes cluster, for rendering without one. */
  private static final Set<GroupKind> BUILT_IN_CLUSTER_SCOPED =
      Set.of(
          new GroupKind("", "Namespace"),
          new GroupKind("", "Node"),
          new GroupKind("", "PersistentVolume"),
          new GroupKind("", "ComponentStatus"),
          new GroupKind("rbac.authorization.k8s.io", "ClusterRole"),
          new GroupKind("rbac.authorization.k8s.io", "ClusterRoleBinding"),
          new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition"),
          new GroupKind("apiregistration.k8s.io", "APIService"),
          new GroupKind("storage.k8s.io", "StorageClass"),
          new GroupKind("storage.k8s.io", "CSIDriver"),
          new GroupKind("storage.k8s.io", "CSINode"),
          new GroupKind("storage.k8s.io", "VolumeAttachment"),
          new GroupKind("storage.k8s.io", "VolumeAttributesClass"),
          new GroupKind("scheduling.k8s.io", "PriorityClass"),
          new GroupKind("node.k8s.io", "RuntimeClass"),
          new GroupKind("networking.k8s.io", "IngressClass"),
          new GroupKind("networking.k8s.io", "IPAddress"),
          new GroupKind("networking.k8s.io", "ServiceCIDR"),
          new GroupKind("certificates.k8s.io", "CertificateSigningRequest"),
          new GroupKind("certificates.k8s.io", "ClusterTrustBundle"),
          new GroupKind("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
          new GroupKind("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
          new GroupKind("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
          new GroupKind("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
          new GroupKind("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
          new GroupKind("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
          new GroupKind("flowcontrol.apiserver.k8s.io", "FlowSchema"),
          new GroupKind("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
          new GroupKind("resource.k8s.io", "DeviceClass"),
          new GroupKind("authentication.k8s.io", "SelfSubjectReview"),
          new GroupKind("authorization.k8s.io", "SelfSubjectAccessReview"),
          new GroupKind("authorization.k8s.io", "SubjectAccessReview"));

  public Capabilities {
    Objects.requireNonNull(kubeVersion, "kubeVersion");
    apiVersions = Set.copyOf(new TreeSet<>(apiVersions));
    namespacedKinds = Set.copyOf(namespacedKinds);
    clusterScopedKinds = Set.copyOf(clusterScopedKinds);
  }

  /**
   * A cluster known only by its version (rendering offline, {@code --kube-version}): Helm's own
   * built-in API versions, and the scope of built-in kinds; any other kind counts as namespaced.
   */
  public static Capabilities offline(String kubeVersion) {
    return new Capabilities(kubeVersion, Set.of(), Set.of(), BUILT_IN_CLUSTER_SCOPED);
  }

  /**
   * Whether objects of a kind get the destination namespace; unknown kinds are asked of {@code
   * crdScope}.
   */
  Scope scopeOf(GroupKind kind) {
    if (namespacedKinds.contains(kind)) {
      return Scope.NAMESPACED;
    }
    if (clusterScopedKinds.contains(kind) || BUILT_IN_CLUSTER_SCOPED.contains(kind)) {
      // Built-in kinds keep their scope even when discovery was partial.
      return Scope.CLUSTER;
    }
    return Scope.UNKNOWN;
  }

  /** Where objects of a kind live. */
  enum Scope {
    NAMESPACED,
    CLUSTER,
    UNKNOWN
  }
}
