package dev.tagflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow runs}: the pipeline runs of the local data directory. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "List, show, follow, cancel, re-run and dispatch the pipeline runs of tagflow server of"
          + " the local data directory.",
      "See docs/workflows.md (Runs in tagflow server)."
    },
    subcommands = {
      RunsListCommand.class,
      RunsShowCommand.class,
      RunsLogsCommand.class,
      RunsCancelCommand.class,
      RunsRerunCommand.class,
      RunsDispatchCommand.class
    })
final class RunsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
