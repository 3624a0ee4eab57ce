package dev.tagflow.local.cluster;

/**
 * The versions of the control-plane programs the testkit builds from their Go modules.
 *
 * @param kubernetes a {@code k8s.io/kubernetes} tag, e.g. {@code v1.37.2}
 * @param etcd a {@code go.etcd.io/etcd/server/v3} tag, e.g. {@code v3.6.16}
 * @param kwok a {@code sigs.k8s.io/kwok} tag, e.g. {@code v0.8.0}
 * @param metricsServer a {@code sigs.k8s.io/metrics-server} tag, e.g. {@code v0.9.0}
 */
public record ControlPlaneVersions(
    String kubernetes, String etcd, String kwok, String metricsServer) {

  /**
   * The newest Kubernetes minor whose go.mod the machine's Go (1.26) accepts, with the etcd minor
   * it is tested against, a kwok built for that Go, and the newest metrics-server (0.7 or later
   * reads a node's {@code metrics.k8s.io/resource-metrics-path}, which kwok's simulated kubelet
   * endpoint needs).
   */
  public static ControlPlaneVersions defaults() {
    return new ControlPlaneVersions("v1.37.2", "v3.6.16", "v0.8.0", "v0.9.0");
  }

  /**
   * The name of the cache folder of the core programs (etcd, Kubernetes, kwok): a new version of
   * one of them builds into a new folder. metrics-server has a folder of its own ({@link
   * #metricsServerCacheKey()}), so adding it or changing its version rebuilds nothing else.
   */
  public String cacheKey() {
    return "k8s-" + kubernetes + "_etcd-" + etcd + "_kwok-" + kwok;
  }

  /** The name of metrics-server's cache folder, beside the core programs' folder. */
  public String metricsServerCacheKey() {
    return "metrics-server-" + metricsServer;
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
