package dev.tagflow.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option of every verb that reads or writes Tagflow's data directory. */
final class DataDirOption {

  @Option(
      names = "--data-dir",
      paramLabel = "<dir>",
      description = "Tagflow's data directory (default: $TAGFLOW_HOME, else ~/.tagflow).")
  Path dataDir;

  /** The directory given, else {@code $TAGFLOW_HOME}, else {@code ~/.tagflow}. */
  Path resolve() {
    if (dataDir != null) {
      return dataDir.toAbsolutePath();
    }
    String home = System.getenv("TAGFLOW_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".tagflow");
  }
}
