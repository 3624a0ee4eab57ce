package dev.tagflow.cli;

import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.ControlPlaneBinaries;
import dev.tagflow.local.cluster.ControlPlaneBuild;
import dev.tagflow.local.cluster.ControlPlaneVersions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow cluster build}: builds and caches the control-plane programs, if needed. */
@Command(
    name = "build",
    description = "Build the control-plane programs from Go modules into the cache (once).")
final class ClusterBuildCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, String> environment = System.getenv();
    ControlPlaneBuild build =
        new ControlPlaneBuild(
            ClusterOptions.defaultCacheRoot(environment),
            ControlPlaneVersions.defaults(),
            environment,
            line -> spec.commandLine().getErr().println(line));
    ControlPlaneBinaries binaries = build.ensureBuilt();
    spec.commandLine().getOut().println("control plane ready in " + binaries.dir());
    spec.commandLine().getOut().println("metrics-server ready in " + binaries.addOnDir());
    return ExitCode.OK;
  }
}
