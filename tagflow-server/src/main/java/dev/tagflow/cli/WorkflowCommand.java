package dev.tagflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow workflow}: release workflows in GitHub Actions syntax. */
@Command(
    name = "workflow",
    mixinStandardHelpOptions = true,
    description = "Check release workflows (GitHub Actions syntax), and run them locally.",
    subcommands = {WorkflowValidateCommand.class, WorkflowRunCommand.class})
final class WorkflowCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
