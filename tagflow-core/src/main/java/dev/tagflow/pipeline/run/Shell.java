package dev.tagflow.pipeline.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code shell:} of a {@code run:} step, as GitHub defines them: {@code bash} (the default)
 * {@code --noprofile --norc -eo pipefail}, {@code sh -e}, {@code python}, {@code pwsh}, or a
 * command template with {@code {0}} for the script; {@code pwsh} when the host has it. Windows
 * PowerShell and {@code cmd} are refused: the host is Linux.
 */
record Shell(List<String> template, String extension) {

  static Shell of(String shell) {
    return switch (shell) {
      case "", "bash" ->
          new Shell(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"), ".sh");
      case "sh" -> new Shell(List.of("sh", "-e", "{0}"), ".sh");
      case "python" -> new Shell(List.of("python3", "{0}"), ".py");
      case "pwsh" -> new Shell(List.of("pwsh", "-command", ". '{0}'"), ".ps1");
      case "powershell", "cmd" ->
          throw new StepFailure(
              "shell: "
                  + shell
                  + " is not supported: steps run on the Tagflow host (Linux); use bash, sh, python or pwsh");
      default -> {
        if (!shell.contains("{0}")) {
          throw new StepFailure(
              "shell: '"
                  + shell
                  + "' is neither bash, sh nor python, and has no {0} for the script (e.g. 'perl {0}')");
        }
        yield new Shell(List.of(shell.strip().split("\\s+")), "");
      }
    };
  }

  List<String> command(Path script) {
    List<String> command = new ArrayList<>();
    for (String part : template) {
      command.add(part.replace("{0}", script.toString()));
    }
    return command;
  }
}
