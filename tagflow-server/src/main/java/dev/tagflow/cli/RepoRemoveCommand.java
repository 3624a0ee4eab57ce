package dev.tagflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow repo rm <owner/name>}: a server stops following a repository added over its API.
 */
@Command(
    name = "rm",
    aliases = "remove",
    mixinStandardHelpOptions = true,
    description = {
      "Make a server stop following a repository added over its API (tagflow repo add --server);"
          + " refused while an Application reads it (exit 3, naming them).",
      "Uses the current context (tagflow login), or --server with TAGFLOW_TOKEN. A repository of"
          + " this host's data directory is removed from <data-dir>/repositories.yaml."
    })
final class RepoRemoveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;

  @Parameters(paramLabel = "<owner/name>", description = "As tagflow repo list --server names it.")
  String name;

  @Override
  public Integer call() {
    try (var api = server.connect(spec.commandLine().getErr())) {
      RepoServerVerbs.remove(api, name);
    }
    spec.commandLine().getOut().println("Removed " + name + "; the server no longer polls it");
    return ExitCode.OK;
  }
}
