package dev.tagflow.testkit.cluster;

import java.nio.file.Path;
import java.util.List;

/** The command lines of the control-plane programs. */
final class ComponentCommands {

  private ComponentCommands() {}

  static List<String> etcdCommand(
      ControlPlaneBinaries binaries, Path state, int clientPort, int peerPort) {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    return List.of(
        binaries.etcd().toString(),
        "--name=tagflow",
        "--data-dir=" + state.resolve("etcd-data"),
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=tagflow=" + peer,
        // A throwaway cluster: fsync buys nothing and costs seconds per test.
        "--unsafe-no-fsync=true",
        "--quota-backend-bytes=" + (2L << 30),
        "--log-level=warn");
  }

  static List<String> apiserverCommand(
      ControlPlaneBinaries binaries, ClusterCertificates pki, int port, int etcdPort) {
    return List.of(
        binaries.kubeApiserver().toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        // The endpoint reconciler refuses a loopback address; nothing runs in the cluster that
        // would dial the kubernetes Service anyway.
        "--endpoint-reconciler-type=none",
        "--secure-port=" + port,
        "--tls-cert-file=" + pki.servingCertificate(),
        "--tls-private-key-file=" + pki.servingKey(),
        "--client-ca-file=" + pki.caCertificate(),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + pki.serviceAccountPublicKey(),
        "--service-account-signing-key-file=" + pki.serviceAccountKey(),
        "--service-cluster-ip-range=10.0.0.0/24",
        "--authorization-mode=RBAC",
        "--allow-privileged=true",
        "--v=0");
  }

  static List<String> controllerManagerCommand(
      ControlPlaneBinaries binaries, ClusterCertificates pki, Path kubeconfig) {
    return List.of(
        binaries.kubeControllerManager().toString(),
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=127.0.0.1",
        "--secure-port=0",
        "--root-ca-file=" + pki.caCertificate(),
        "--service-account-private-key-file=" + pki.serviceAccountKey(),
        "--leader-elect=false",
        "--v=0");
  }

  static List<String> schedulerCommand(ControlPlaneBinaries binaries, Path kubeconfig) {
    return List.of(
        binaries.kubeScheduler().toString(),
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=127.0.0.1",
        "--secure-port=0",
        "--leader-elect=false",
        "--v=0");
  }

  static List<String> kwokCommand(ControlPlaneBinaries binaries, Path kubeconfig, Path stages) {
    return List.of(
        binaries.kwok().toString(),
        "--kubeconfig=" + kubeconfig,
        "--config=" + stages,
        "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=" + LocalCluster.KWOK_NODE_ANNOTATION + "=fake",
        "--disregard-status-with-annotation-selector=kwok.x-k8s.io/status=custom",
        "--cidr=10.244.0.1/16",
        "--node-ip=10.244.0.1");
  }
}
