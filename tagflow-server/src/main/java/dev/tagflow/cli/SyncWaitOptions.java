package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --wait} and {@code --timeout} of the verbs that start a sync (sync, rollback). */
final class SyncWaitOptions {

  @Option(
      names = "--wait",
      description = "Wait until the sync has ended and the application is Synced and Healthy.")
  boolean wait;

  @Option(
      names = "--timeout",
      paramLabel = "<duration>",
      defaultValue = "5m",
      description = "How long --wait waits, e.g. 90s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  String timeout;

  /**
   * With {@code --wait}, the history id of the application's last operation before the new one is
   * asked for ("" for none), which the wait must not take for the new one; checks the timeout.
   */
  Optional<String> before(ApiConnection api, String name) {
    AppWaiter.timeout(timeout);
    if (!wait) {
      return Optional.empty();
    }
    return Optional.of(AppCommand.text(api.get(AppCommand.path(name)), "operation", "historyId"));
  }

  /**
   * Prints the server's acceptance of an operation and, with {@code --wait}, waits for the one that
   * is not {@code previous}: the exit code.
   */
  int after(
      ApiConnection api,
      String name,
      Optional<String> previous,
      Map<String, Object> accepted,
      ClientOutput output,
      CommandLine commandLine) {
    PrintWriter out = commandLine.getOut();
    var patience = AppWaiter.timeout(timeout);
    if (output.data()) {
      output.printData(out, accepted);
    } else {
      out.println(
          AppCommand.text(accepted, "operation")
              + " of "
              + name
              + " accepted"
              + (wait ? "; waiting for it (up to " + timeout + ")" : ""));
      out.flush();
    }
    if (!wait) {
      return ExitCode.OK;
    }
    AppWaiter.Goal goal = new AppWaiter.Goal(true, true, previous);
    int code = new AppWaiter(api, name, commandLine.getErr()).await(goal, patience);
    if (!output.data()) {
      out.println(name + " is Synced and Healthy");
    }
    return code;
  }
}
