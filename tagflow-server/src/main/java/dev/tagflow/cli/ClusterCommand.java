package dev.tagflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow cluster}: the local Kubernetes control plane for trying Tagflow. */
@Command(
    name = "cluster",
    description = {
      "Run a real local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,",
      "kube-scheduler, kwok's simulated nodes and metrics-server) on loopback, built once from Go",
      "modules: load balancers get addresses, claims get volumes, autoscalers get metrics."
    },
    subcommands = {
      ClusterBuildCommand.class,
      ClusterUpCommand.class,
      ClusterDownCommand.class,
      ClusterStatusCommand.class,
      ClusterKubeconfigCommand.class
    })
final class ClusterCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
