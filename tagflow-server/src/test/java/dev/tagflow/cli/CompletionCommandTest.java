package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void bashGetsAScriptOfEveryVerbAndItsOptionsThatBashAccepts(@TempDir Path dir) throws Exception {
    assertThat(run("completion", "bash")).isZero();
    String script = out.toString();

    assertThat(script)
        .contains("complete -F _complete_tagflow", "_picocli_tagflow_runs_list", "--data-dir")
        .contains(
            TagflowCommand.VERBS.stream()
                .map(v -> v.getAnnotation(picocli.CommandLine.Command.class).name())
                .toList());
    // Bash itself reads it: no syntax error.
    Path file = Files.writeString(dir.resolve("tagflow.bash"), script);
    Process bash =
        new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
    String complaints = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor()).as(complaints).isZero();
  }

  @Test
  void theClientVerbsAndTheirOptionsAreCompleted() {
    assertThat(run("completion", "bash")).isZero();
    assertThat(out.toString())
        .contains("_picocli_tagflow_login", "_picocli_tagflow_logout", "_picocli_tagflow_app")
        .contains(
            "_picocli_tagflow_app_list",
            "_picocli_tagflow_app_get",
            "_picocli_tagflow_app_diff",
            "_picocli_tagflow_app_sync",
            "_picocli_tagflow_app_rollback",
            "_picocli_tagflow_app_history",
            "_picocli_tagflow_app_wait")
        .contains("--token-stdin", "--ca-file", "--context", "--timeout", "--prune", "--wait")
        .contains("(\"table\" \"wide\" \"json\" \"yaml\")");
  }

  @Test
  void zshGetsTheScriptThatLoadsBashcompinit() {
    assertThat(run("completion", "zsh")).isZero();
    assertThat(out.toString()).contains("bashcompinit", "complete -F _complete_tagflow");
  }

  @Test
  void anotherShellIsInvalidInput() {
    assertThat(run("completion", "fish")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("fish").contains("bash, zsh");
    assertThat(out.toString()).isEmpty();
  }
}
