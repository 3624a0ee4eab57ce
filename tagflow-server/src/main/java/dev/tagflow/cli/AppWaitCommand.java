package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow app wait <name>}: until the application is Synced and/or Healthy. */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    description = {
      "Wait until an application is Synced (--sync) and Healthy (--health); both when neither is"
          + " given, and no sync is running. Its state is printed on stderr as it changes.",
      "Exit codes: 0 reached, 6 timed out, 7 Degraded (with --health), 4 no such application."
    })
final class AppWaitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "<app>", description = "The application.")
  String name;

  @Option(names = "--sync", description = "Wait until it is Synced.")
  boolean sync;

  @Option(names = "--health", description = "Wait until it is Healthy; Degraded ends the wait.")
  boolean health;

  @Option(
      names = "--timeout",
      paramLabel = "<duration>",
      defaultValue = "5m",
      description = "How long to wait, e.g. 90s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() {
    AppCommand.path(name);
    var patience = AppWaiter.timeout(timeout);
    boolean both = !sync && !health;
    AppWaiter.Goal goal = new AppWaiter.Goal(sync || both, health || both, Optional.empty());
    try (ApiConnection api = server.connect(spec.commandLine().getErr())) {
      int code = new AppWaiter(api, name, spec.commandLine().getErr()).await(goal, patience);
      spec.commandLine().getOut().println(name + " is " + goal.describe());
      return code;
    }
  }
}
