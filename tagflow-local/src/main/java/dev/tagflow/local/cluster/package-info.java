/**
 * A real local Kubernetes control plane for tests, the demo and {@code tagflow cluster}: etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, kwok (simulated nodes and their
 * kubelets) and metrics-server, built once from their Go modules ({@link
 * dev.tagflow.local.cluster.ControlPlaneBuild}, cached per set of versions) and started on free
 * loopback ports ({@link dev.tagflow.local.cluster.LocalCluster}).
 *
 * <p>It behaves as a real cluster for what Tagflow needs: server-side apply and managedFields,
 * garbage collection and every built-in controller, pods Ready on simulated nodes, LoadBalancer
 * Services and Ingresses given addresses, claims bound by the host-path provisioner, {@code
 * metrics.k8s.io} served. Tests can make it fail for real: labels that keep a pod failing or never
 * Ready ({@link dev.tagflow.local.cluster.SimulatedWorkloads}), and {@code stop}/{@code restart} of
 * kube-apiserver or etcd in a running cluster. Every program runs in a session of its own with a
 * pid file, and a watchdog stops them if the JVM that started them dies.
 */
package dev.tagflow.local.cluster;
