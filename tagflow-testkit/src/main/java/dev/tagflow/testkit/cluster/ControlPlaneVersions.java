package dev.tagflow.testkit.cluster;

/**
 * The versions of the control-plane programs the testkit builds from their Go modules.
 *
 * @param kubernetes a {@code k8s.io/kubernetes} tag, e.g. {@code v1.37.2}
 * @param etcd a {@code go.etcd.io/etcd/server/v3} tag, e.g. {@code v3.6.16}
 * @param kwok a {@code sigs.k8s.io/kwok} tag, e.g. {@code v0.8.0}
 */
public record ControlPlaneVersions(String kubernetes, String etcd, String kwok) {

  /**
   * The newest Kubernetes minor whose go.mod the machine's Go (1.26) accepts, with the etcd minor
   * it is tested against and a kwok built for that Go.
   */
  public static ControlPlaneVersions defaults() {
    return new ControlPlaneVersions("v1.37.2", "v3.6.16", "v0.8.0");
  }

  /** The name of the cache folder for this set: a new version builds into a new folder. */
  public String cacheKey() {
    return "k8s-" + kubernetes + "_etcd-" + etcd + "_kwok-" + kwok;
  }

  /** {@code 37} for {@code v1.37.2}: the minor that the version ldflags need. */
  String kubernetesMinor() {
    String[] parts = kubernetes.replaceFirst("^v", "").split("\\.");
    return parts.length > 1 ? parts[1] : "0";
  }

  /** {@code v0.37.2} for {@code v1.37.2}: the tag of the staging modules of that release. */
  String stagingVersion() {
    return kubernetes.replaceFirst("^v1\\.", "v0.");
  }
}
