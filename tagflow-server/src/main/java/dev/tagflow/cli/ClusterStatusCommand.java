package dev.tagflow.cli;

import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.process.ComponentProcess;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow cluster status}: which programs of a local cluster run, and is it ready. */
@Command(
    name = "status",
    description = "Show the programs of a local cluster; exit code 0 when it is ready, 1 if not.")
final class ClusterStatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LocalClusterOptions cluster;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<ComponentProcess> components = LocalCluster.componentsIn(cluster.stateDir());
    if (components.isEmpty()) {
      out.println(
          "cluster '"
              + cluster.name
              + "' is not running (no pid files in "
              + cluster.stateDir()
              + ")");
      return ExitCode.FAILED;
    }
    out.printf("%-26s %-8s %s%n", "COMPONENT", "PID", "STATE");
    for (ComponentProcess process : components) {
      out.printf(
          "%-26s %-8d %s%n",
          process.name(), process.pid(), process.isAlive() ? "running" : "exited");
    }
    boolean ready = LocalCluster.isRunning(cluster.stateDir());
    out.println(
        "API server: "
            + LocalCluster.serverUrlIn(cluster.stateDir()).orElse("(unknown)")
            + (ready ? " (ready)" : " (not ready)"));
    if (ready) {
      out.println(
          "metrics API: "
              + LocalCluster.metricsApiAvailable(cluster.stateDir())
                  .map(available -> available ? "metrics.k8s.io available" : "not available")
                  .orElse("unknown (the API server did not answer)"));
    }
    return ready ? ExitCode.OK : ExitCode.FAILED;
  }
}
