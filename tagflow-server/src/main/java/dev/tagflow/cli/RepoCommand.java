package dev.tagflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow repo}: the Git repositories Tagflow reads from. */
@Command(
    name = "repo",
    mixinStandardHelpOptions = true,
    description = {
      "Add Git repositories, list them, see their refs and resolve revisions.",
      "add and list work on this host's data directory, or with --server/--context on a running"
          + " server's API; rm removes one added over a server's API."
    },
    subcommands = {
      RepoAddCommand.class,
      RepoListCommand.class,
      RepoRemoveCommand.class,
      RepoRefsCommand.class,
      RepoResolveCommand.class
    })
final class RepoCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
