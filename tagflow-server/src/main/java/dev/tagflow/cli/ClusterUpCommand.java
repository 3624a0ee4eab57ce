package dev.tagflow.cli;

import dev.tagflow.local.cluster.LocalCluster;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow cluster up}: starts a local cluster that runs until {@code cluster down}. */
@Command(name = "up", description = "Start a local cluster (or say that it runs already).")
final class ClusterUpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LocalClusterOptions cluster;
  @Mixin KubeconfigUpdateOptions kubeconfig;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (LocalCluster.isRunning(cluster.stateDir())) {
      out.println("cluster '" + cluster.name + "' is running already");
    } else {
      LocalCluster.start(cluster.clusterOptions(false), err::println);
    }
    out.println("kubeconfig: " + cluster.stateDir().resolve("kubeconfig"));
    if (kubeconfig.noUpdate) {
      out.println(
          "try:        export KUBECONFIG=$(./tagflow cluster kubeconfig --path --name "
              + cluster.name
              + ")");
    } else {
      String context = KubeconfigUpdateOptions.contextOf(cluster.name);
      kubeconfig.add(cluster.name, cluster.stateDir());
      out.println(
          "context:    "
              + context
              + " added to "
              + kubeconfig.target().file()
              + " and made current; kubectl and tagflow sync use it now");
    }
    out.println("stop with:  ./tagflow cluster down --name " + cluster.name);
    return ExitCode.OK;
  }
}
