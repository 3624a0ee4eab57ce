package dev.tagflow.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow completion bash|zsh}: prints a completion script of every verb, its subcommands
 * and options (picocli's, which zsh runs through its bashcompinit).
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script for tagflow's verbs and options.",
      "bash: source <(tagflow completion bash), or save it in"
          + " ~/.local/share/bash-completion/completions/tagflow.",
      "zsh: source <(tagflow completion zsh) in ~/.zshrc (it loads zsh's bashcompinit)."
    })
final class CompletionCommand implements Callable<Integer> {

  /** The shells the script is for; one script serves both. */
  enum Shell {
    bash,
    zsh
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<shell>", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("tagflow", TagflowCommand.everyVerb()));
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
