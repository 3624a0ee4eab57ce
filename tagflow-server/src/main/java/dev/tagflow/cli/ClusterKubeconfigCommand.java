package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagflow cluster kubeconfig}: prints the kubeconfig of a local cluster, or its path. */
@Command(name = "kubeconfig", description = "Print the kubeconfig of a local cluster.")
final class ClusterKubeconfigCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LocalClusterOptions cluster;

  @Option(names = "--path", description = "Print the file's path instead of its content.")
  boolean pathOnly;

  @Override
  public Integer call() {
    Path kubeconfig = cluster.stateDir().resolve("kubeconfig");
    if (!Files.isRegularFile(kubeconfig)) {
      throw TagflowException.invalidInput(
          "cluster '"
              + cluster.name
              + "' has no kubeconfig at "
              + kubeconfig
              + "; start it with: ./tagflow cluster up --name "
              + cluster.name);
    }
    if (pathOnly) {
      spec.commandLine().getOut().println(kubeconfig);
      return ExitCode.OK;
    }
    try {
      spec.commandLine().getOut().print(Files.readString(kubeconfig));
      spec.commandLine().getOut().flush();
    } catch (IOException e) {
      throw TagflowException.failed("could not read " + kubeconfig, e);
    }
    return ExitCode.OK;
  }
}
