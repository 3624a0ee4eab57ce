package dev.tagflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow secret}: the secrets workflows may use, per project or repository. */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description =
        "Set, list and delete the secrets release workflows use (secrets.NAME), per project or"
            + " repository; stored encrypted in the data directory's database.",
    subcommands = {SecretSetCommand.class, SecretListCommand.class, SecretDeleteCommand.class})
final class SecretCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
