package dev.tagflow.local.cluster;

import java.nio.file.Path;

/**
 * Where the built control-plane programs are.
 *
 * @param dir the core programs: etcd, the Kubernetes programs, kubectl and kwok
 * @param addOnDir metrics-server, cached in a folder of its own
 */
public record ControlPlaneBinaries(Path dir, Path addOnDir) {

  public Path etcd() {
    return dir.resolve("etcd");
  }

  public Path kubeApiserver() {
    return dir.resolve("kube-apiserver");
  }

  public Path kubeControllerManager() {
    return dir.resolve("kube-controller-manager");
  }

  public Path kubeScheduler() {
    return dir.resolve("kube-scheduler");
  }

  public Path kubectl() {
    return dir.resolve("kubectl");
  }

  public Path kwok() {
    return dir.resolve("kwok");
  }

  public Path metricsServer() {
    return addOnDir.resolve("metrics-server");
  }
}
