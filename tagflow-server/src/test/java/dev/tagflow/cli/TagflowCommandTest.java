package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class TagflowCommandTest {

  @Test
  void onlyTheVerbNamedIsBuilt() {
    CommandLine commandLine = TagflowCommand.commandLine(new String[] {"--debug", "runs", "list"});

    assertThat(command(commandLine, "runs")).isInstanceOf(RunsCommand.class);
    assertThat(commandLine.getSubcommands().get("runs").getSubcommands()).containsKey("list");
    assertThat(command(commandLine, "server")).isNull();
    assertThat(commandLine.getSubcommands().get("server").getSubcommands()).isEmpty();
  }

  @Test
  void versionBuildsNoVerb() {
    CommandLine commandLine = TagflowCommand.commandLine(new String[] {"--version"});

    assertThat(commandLine.getSubcommands()).hasSize(TagflowCommand.VERBS.size());
    assertThat(commandLine.getSubcommands().values())
        .allSatisfy(verb -> assertThat(command(commandLine, verb.getCommandName())).isNull());
  }

  @Test
  void everyVerbIsListedInItsOrderWithItsDescription() {
    CommandLine commandLine = TagflowCommand.commandLine(new String[] {"--help"});

    assertThat(commandLine.getSubcommands().keySet())
        .containsExactlyElementsOf(
            TagflowCommand.VERBS.stream().map(v -> v.getAnnotation(Command.class).name()).toList());
    assertThat(
            commandLine
                .getSubcommands()
                .get("secret")
                .getCommandSpec()
                .usageMessage()
                .description())
        .isEqualTo(SecretCommand.class.getAnnotation(Command.class).description());
  }

  @Test
  void helpReadsTheSameAsWithEveryVerbBuilt(@TempDir Path dir) throws Exception {
    // An argument file may name any verb, so it builds them all: the help of the full model.
    Path arguments = Files.writeString(dir.resolve("args"), "--help\n");

    String outline = run("--help");
    String full = run("@" + arguments);

    assertThat(outline).contains("Commands:", "workflow", "approvals").isEqualTo(full);
  }

  @Test
  void anUnknownVerbIsRefusedAsBefore() {
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"rnus"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .isEqualTo(
            "tagflow: Unmatched argument at index 0: 'rnus'\nRun 'tagflow --help' for usage.\n");
  }

  /** The object of a verb, if it was built. */
  private static Object command(CommandLine commandLine, String verb) {
    return commandLine.getSubcommands().get(verb).getCommand();
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    assertThat(Main.run(args, new PrintWriter(out, true), new PrintWriter(new StringWriter())))
        .isZero();
    return out.toString();
  }
}
