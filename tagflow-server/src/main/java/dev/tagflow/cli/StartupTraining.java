package dev.tagflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The training run of the JDK's ahead-of-time cache ({@code -XX:AOTCacheOutput}, JEP 483/514/515):
 * runs the everyday local verbs in one JVM, in a scratch data directory, so that the cache holds
 * the classes they load and the profiles of the code they run. The build runs it after packaging
 * the jar; {@code ./tagflow} then starts with the cache. Usage: {@code StartupTraining
 * <scratch-dir>}.
 */
public final class StartupTraining {

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: StartupTraining <scratch-dir>");
      System.exit(ExitCode.INVALID_INPUT);
    }
    Path scratch = Path.of(args[0]).toAbsolutePath();
    List<List<String>> commandLines = commandLines(scratch);
    StringWriter discarded = new StringWriter();
    PrintWriter sink = new PrintWriter(discarded);
    for (List<String> commandLine : commandLines) {
      Main.run(commandLine.toArray(String[]::new), sink, sink);
    }
    System.out.println(
        "tagflow: trained the start-up cache on " + commandLines.size() + " command lines");
  }

  /** Every verb's help, and the local read-only verbs on a fresh data directory and checkout. */
  private static List<List<String>> commandLines(Path scratch) throws IOException {
    Path data = Files.createDirectories(scratch.resolve("data"));
    Path checkout = scratch.resolve("checkout");
    Path workflow = checkout.resolve(".github/workflows/release.yml");
    Files.createDirectories(workflow.getParent());
    Files.writeString(
        workflow,
        """
        on:
          push:
            tags: ["v*"]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: make test
        """);
    String dataDir = "--data-dir=" + data;
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of("--version"));
    lines.add(List.of("--help"));
    for (Class<?> verb : TagflowCommand.VERBS) {
      lines.add(List.of(verb.getAnnotation(Command.class).name(), "--help"));
    }
    lines.add(List.of("workflow", "validate", checkout.toString()));
    lines.add(List.of("workflow", "validate", checkout.toString(), "-o", "json"));
    lines.add(List.of("runs", "list", dataDir));
    lines.add(List.of("runs", "list", dataDir, "-o", "json"));
    lines.add(List.of("secret", "list", dataDir));
    lines.add(List.of("repo", "list", dataDir));
    lines.add(List.of("approvals", "list", dataDir));
    lines.add(List.of("no-such-verb"));
    return lines;
  }
}
