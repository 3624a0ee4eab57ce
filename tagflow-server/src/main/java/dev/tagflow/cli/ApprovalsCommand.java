package dev.tagflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow approvals}: promotion requests waiting for people. */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description = {
      "List, approve and reject promotion requests of the local data directory.",
      "Locally the person at the terminal says who they are (--as) and which roles they hold"
          + " (--role); the server checks both against its users."
    },
    subcommands = {
      ApprovalsListCommand.class,
      ApprovalsApproveCommand.class,
      ApprovalsRejectCommand.class
    })
final class ApprovalsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
