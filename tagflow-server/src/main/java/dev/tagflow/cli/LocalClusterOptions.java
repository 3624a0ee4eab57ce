package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.local.cluster.ClusterOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that name a local cluster: its name and Tagflow's data directory. */
final class LocalClusterOptions {

  @Option(
      names = "--name",
      defaultValue = "local",
      description =
          "The cluster's name (default: ${DEFAULT-VALUE}); its files are in <data-dir>/clusters/<name>.")
  String name;

  @Mixin DataDirOption dataDir;

  Path stateDir() {
    if (!name.matches("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?")) {
      throw TagflowException.invalidInput(
          "--name '"
              + name
              + "' is not a valid cluster name: use lower-case letters, digits and '-', at most 40");
    }
    return dataDir.resolve().resolve("clusters").resolve(name);
  }

  ClusterOptions clusterOptions(boolean attached) {
    return ClusterOptions.defaults(name, stateDir(), attached);
  }
}
