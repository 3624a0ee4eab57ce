package dev.tagflow.local.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to run a local cluster.
 *
 * @param name the kubeconfig's cluster and context name
 * @param stateDir where certificates, etcd's data, logs, pid files and the kubeconfig live
 * @param cacheRoot Tagflow's cache folder, where the built control plane is kept across runs
 * @param versions which control-plane versions to build and run
 * @param nodes how many fake nodes kwok simulates; pods are scheduled onto them
 * @param firstPort the port from which free loopback ports are searched upward
 * @param attached stop the cluster when this JVM ends, even when it is killed (tests); a detached
 *     cluster outlives the command that started it ({@code tagflow cluster up})
 * @param environment the environment of the Go build (PATH, GOTOOLCHAIN, proxies)
 * @param neverReadyImages images whose pods kwok runs but never makes Ready (a rollout that never
 *     finishes, keyed on the image a release deploys rather than on a label the chart must carry)
 * @param controllerManagerQps requests per second kube-controller-manager may send (burst twice
 *     that); 0 leaves its own default, 20, which is what kind and kubeadm clusters run with. Raised
 *     only to see how much of a benchmark's wait is the controller-manager's rollouts
 */
public record ClusterOptions(
    String name,
    Path stateDir,
    Path cacheRoot,
    ControlPlaneVersions versions,
    int nodes,
    int firstPort,
    boolean attached,
    Map<String, String> environment,
    List<String> neverReadyImages,
    int controllerManagerQps) {

  public ClusterOptions {
    neverReadyImages = List.copyOf(neverReadyImages);
    if (controllerManagerQps < 0) {
      throw new IllegalArgumentException(
          "controllerManagerQps must be 0 (the default) or more, not " + controllerManagerQps);
    }
  }

  /** Where Tagflow keeps caches: {@code $TAGFLOW_CACHE}, else the XDG cache folder. */
  public static Path defaultCacheRoot(Map<String, String> environment) {
    String explicit = environment.get("TAGFLOW_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("tagflow");
  }

  /** Options for a cluster in {@code stateDir} with defaults for everything else. */
  public static ClusterOptions defaults(String name, Path stateDir, boolean attached) {
    Map<String, String> environment = System.getenv();
    return new ClusterOptions(
        name,
        stateDir,
        defaultCacheRoot(environment),
        ControlPlaneVersions.defaults(),
        2,
        16443,
        attached,
        environment,
        List.of(),
        0);
  }

  public ClusterOptions withCacheRoot(Path root) {
    return new ClusterOptions(
        name,
        stateDir,
        root,
        versions,
        nodes,
        firstPort,
        attached,
        environment,
        neverReadyImages,
        controllerManagerQps);
  }

  public ClusterOptions withFirstPort(int port) {
    return new ClusterOptions(
        name,
        stateDir,
        cacheRoot,
        versions,
        nodes,
        port,
        attached,
        environment,
        neverReadyImages,
        controllerManagerQps);
  }

  /** Options whose pods of these images run but never become Ready. */
  public ClusterOptions withNeverReadyImages(List<String> images) {
    return new ClusterOptions(
        name,
        stateDir,
        cacheRoot,
        versions,
        nodes,
        firstPort,
        attached,
        environment,
        images,
        controllerManagerQps);
  }

  /** Options with this many kwok nodes, each of which takes 250 pods. */
  public ClusterOptions withNodes(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, not " + count);
    }
    return new ClusterOptions(
        name,
        stateDir,
        cacheRoot,
        versions,
        count,
        firstPort,
        attached,
        environment,
        neverReadyImages,
        controllerManagerQps);
  }

  /** Options whose kube-controller-manager may send {@code qps} requests a second (0: its own). */
  public ClusterOptions withControllerManagerQps(int qps) {
    return new ClusterOptions(
        name,
        stateDir,
        cacheRoot,
        versions,
        nodes,
        firstPort,
        attached,
        environment,
        neverReadyImages,
        qps);
  }
}
