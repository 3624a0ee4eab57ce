package dev.tagflow.local.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command lines of the control-plane programs. */
final class ComponentCommands {

  /** Where every program listens, and the address of kwok's nodes. */
  static final String LOOPBACK = "127.0.0.1";

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
        // Room for 65,534 Services; a /24 held 254, and the side by side's 1,000 applications
        // have one each ("failed to allocate a serviceIP: range is full"). 10.0.0.1 stays the
        // kubernetes Service's address, which the serving certificate names.
        "--service-cluster-ip-range=" + SERVICE_RANGE,
        "--authorization-mode=RBAC",
        "--allow-privileged=true",
        // The aggregation layer, for metrics-server's metrics.k8s.io: the API server proxies with
        // the front-proxy client certificate and passes the user in these headers.
        "--requestheader-client-ca-file=" + pki.frontProxyCaCertificate(),
        "--requestheader-allowed-names=" + ClusterCertificates.FRONT_PROXY_CLIENT,
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + pki.frontProxyClientCertificate(),
        "--proxy-client-key-file=" + pki.frontProxyClientKey(),
        "--v=0");
  }

  /** The Services' addresses. */
  static final String SERVICE_RANGE = "10.0.0.0/16";

  static List<String> controllerManagerCommand(
      ControlPlaneBinaries binaries, ClusterCertificates pki, Path kubeconfig, int qps) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binaries.kubeControllerManager().toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--root-ca-file=" + pki.caCertificate(),
                "--service-account-private-key-file=" + pki.serviceAccountKey(),
                "--leader-elect=false",
                // Claims of the default StorageClass get a hostPath volume under /tmp/hostpath_pv,
                // as in kind and minikube; the volume is deleted with its claim.
                "--enable-hostpath-provisioner=true",
                "--v=0"));
    if (qps > 0) {
      command.add("--kube-api-qps=" + qps);
      command.add("--kube-api-burst=" + 2 * qps);
    }
    return List.copyOf(command);
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

  /**
   * kwok simulates the nodes and, on {@code kubeletPort}, their kubelets' endpoints (metrics among
   * them): the nodes' address is loopback, where that server listens, and their kubelet port is its
   * port.
   */
  static List<String> kwokCommand(
      ControlPlaneBinaries binaries,
      ClusterCertificates pki,
      Path kubeconfig,
      List<Path> configs,
      int kubeletPort) {
    List<String> command = new ArrayList<>();
    command.add(binaries.kwok().toString());
    command.add("--kubeconfig=" + kubeconfig);
    configs.forEach(config -> command.add("--config=" + config));
    command.addAll(
        List.of(
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector="
                + LocalCluster.KWOK_NODE_ANNOTATION
                + "=fake",
            "--disregard-status-with-annotation-selector=kwok.x-k8s.io/status=custom",
            "--cidr=10.244.0.1/16",
            "--node-ip=" + LOOPBACK,
            "--node-port=" + kubeletPort,
            "--server-address=" + LOOPBACK + ":" + kubeletPort,
            "--tls-cert-file=" + pki.kubeletCertificate(),
            "--tls-private-key-file=" + pki.kubeletKey()));
    return List.copyOf(command);
  }

  /**
   * metrics-server scrapes each node's simulated kubelet (kwok, verified against the cluster's CA)
   * every 10 s, the shortest resolution it accepts (a scrape must time out before the next one
   * starts), and serves {@code metrics.k8s.io} on {@code port}.
   */
  static List<String> metricsServerCommand(
      ControlPlaneBinaries binaries,
      ClusterCertificates pki,
      Path kubeconfig,
      int port,
      int kubeletPort) {
    return List.of(
        binaries.metricsServer().toString(),
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=" + LOOPBACK,
        "--secure-port=" + port,
        "--tls-cert-file=" + pki.metricsServerCertificate(),
        "--tls-private-key-file=" + pki.metricsServerKey(),
        "--kubelet-preferred-address-types=InternalIP",
        "--kubelet-use-node-status-port",
        "--kubelet-port=" + kubeletPort,
        "--kubelet-certificate-authority=" + pki.caCertificate(),
        "--metric-resolution=10s",
        "--kubelet-request-timeout=5s",
        "--v=0");
  }
}
