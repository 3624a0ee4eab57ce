package dev.tagflow.cli;

import dev.tagflow.cli.client.ClientConfig;
import dev.tagflow.cli.client.ClientFailure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow context [use <name>]}: the servers logged in to, and which one is current. */
@Command(
    name = "context",
    mixinStandardHelpOptions = true,
    description = {
      "List the contexts of the client's configuration file (tagflow login adds them), or make"
          + " one current: tagflow context use <name>. Credentials are never shown."
    })
final class ContextCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..2",
      paramLabel = "use <name>",
      description = "Make the context of that name current.")
  List<String> use = List.of();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path file = ClientConfig.location(System.getenv());
    ClientConfig config = ClientConfig.read(file);
    if (!use.isEmpty()) {
      if (use.size() != 2 || !use.get(0).equals("use")) {
        throw new ClientFailure(
            ExitCode.INVALID_INPUT, "say 'tagflow context' to list, 'tagflow context use <name>'");
      }
      String name = use.get(1);
      ClientConfig.Context context =
          config
              .context(name)
              .orElseThrow(
                  () ->
                      new ClientFailure(
                          ExitCode.INVALID_INPUT,
                          "no context '" + name + "' in " + file + "; tagflow context lists them"));
      config.with(context).write(file);
      out.println("Current context: " + name + " (" + context.server() + ")");
      return ExitCode.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (ClientConfig.Context c : config.contexts()) {
      rows.add(
          List.of(
              config.currentContext().filter(c.name()::equals).isPresent() ? "*" : "",
              c.name(),
              c.server(),
              c.session()
                  .map(s -> "session of " + s.user() + " until " + s.expiresAt())
                  .orElse("token")));
    }
    if (rows.isEmpty()) {
      spec.commandLine().getErr().println("No contexts in " + file + ": tagflow login <url>.");
      return ExitCode.OK;
    }
    OutputFormat.printTable(out, List.of("CURRENT", "NAME", "SERVER", "CREDENTIALS"), rows);
    return ExitCode.OK;
  }
}
