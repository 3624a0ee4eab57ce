package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
   * Prints the server's acceptance of an operation and, with {@code --wait}, waits for it: the exit
   * code.
   */
  int after(
      ApiConnection api,
      String name,
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
    Instant since;
    try {
      since = Instant.parse(AppCommand.text(accepted, "acceptedAt"));
    } catch (DateTimeParseException e) {
      since = Instant.now();
    }
    AppWaiter.Goal goal = new AppWaiter.Goal(true, true, Optional.of(since));
    int code = new AppWaiter(api, name, commandLine.getErr()).await(goal, patience);
    if (!output.data()) {
      out.println(name + " is Synced and Healthy");
    }
    return code;
  }
}
