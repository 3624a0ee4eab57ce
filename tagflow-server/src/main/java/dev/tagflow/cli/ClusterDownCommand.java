package dev.tagflow.cli;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.process.ComponentProcess;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow cluster down}: stops every program of a local cluster and deletes its data. */
@Command(name = "down", description = "Stop a local cluster and delete its data.")
final class ClusterDownCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LocalClusterOptions cluster;
  @Mixin KubeconfigUpdateOptions kubeconfig;

  @Override
  public Integer call() {
    List<ComponentProcess> stopped = LocalCluster.stop(cluster.stateDir());
    // Before the cluster's folder goes: it holds the context to make current again.
    if (!kubeconfig.noUpdate && kubeconfig.remove(cluster.name, cluster.stateDir())) {
      spec.commandLine()
          .getOut()
          .println(
              "context "
                  + KubeconfigUpdateOptions.contextOf(cluster.name)
                  + " removed from "
                  + kubeconfig.target().file());
    }
    LocalCluster.delete(cluster.stateDir());
    if (stopped.isEmpty()) {
      spec.commandLine().getOut().println("cluster '" + cluster.name + "' was not running");
    } else {
      for (ComponentProcess process : stopped) {
        spec.commandLine().getOut().printf("stopped %-24s pid %d%n", process.name(), process.pid());
      }
    }
    return ExitCode.OK;
  }
}
