package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow app history <name>}: its recorded syncs, newest first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "List an application's recorded syncs, newest first; the ids are rollback's.")
final class AppHistoryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;
  @Mixin ClientOutput output;

  @Parameters(index = "0", paramLabel = "<app>", description = "The application.")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> history;
    try (ApiConnection api = server.connect(spec.commandLine().getErr())) {
      history = api.get(AppCommand.path(name) + "/history");
    }
    if (output.data()) {
      output.printData(out, history);
      return ExitCode.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<?, ?> entry : AppCommand.items(history, "items")) {
      List<String> row = new ArrayList<>();
      row.add(AppCommand.text(entry, "id"));
      row.add(AppCommand.shortCommit(AppCommand.text(entry, "revision")));
      row.add(AppCommand.text(entry, "requestedRef"));
      row.add(AppCommand.text(entry, "trigger"));
      row.add(AppCommand.text(entry, "result"));
      row.add(AppCommand.text(entry, "healthAfter"));
      row.add(AppCommand.text(entry, "startedAt"));
      if (output.wide()) {
        row.add(AppCommand.text(entry, "release"));
        row.add(AppCommand.text(entry, "message"));
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      spec.commandLine().getErr().println(name + " has no recorded sync yet.");
      return ExitCode.OK;
    }
    List<String> header =
        new ArrayList<>(List.of("ID", "REVISION", "REF", "TRIGGER", "RESULT", "HEALTH", "STARTED"));
    if (output.wide()) {
      header.addAll(List.of("RELEASE", "MESSAGE"));
    }
    ClientOutput.table(out, header, rows);
    return ExitCode.OK;
  }
}
