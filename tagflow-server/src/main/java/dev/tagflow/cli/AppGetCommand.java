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

/** {@code tagflow app get <name>}: one application's status and its objects. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description =
        "Show an application: source, destination, sync, health, the last sync, conditions and"
            + " each object's sync and health.")
final class AppGetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;
  @Mixin ClientOutput output;

  @Parameters(index = "0", paramLabel = "<app>", description = "The application.")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String path = AppCommand.path(name);
    Map<String, Object> app;
    Map<String, Object> tree;
    try (ApiConnection api = server.connect(spec.commandLine().getErr())) {
      app = api.get(path);
      tree = api.get(path + "/tree");
    }
    if (output.data()) {
      app.put("objects", tree.get("objects"));
      output.printData(out, app);
      return ExitCode.OK;
    }
    line(out, "Name", AppCommand.text(app, "name"));
    line(out, "Project", AppCommand.text(app, "project"));
    line(out, "Environment", AppCommand.text(app, "environment"));
    line(
        out,
        "Source",
        AppCommand.text(app, "source", "repoURL")
            + " "
            + AppCommand.text(app, "source", "path")
            + " @ "
            + AppCommand.text(app, "source", "targetRevision"));
    line(
        out,
        "Destination",
        AppCommand.text(app, "destination", "cluster")
            + "/"
            + AppCommand.text(app, "destination", "namespace"));
    String revision = AppCommand.text(app, "revision");
    line(
        out,
        "Sync",
        AppCommand.text(app, "sync")
            + (revision.isEmpty() ? "" : " to " + AppCommand.shortCommit(revision)));
    String healthMessage = AppCommand.text(app, "healthMessage");
    line(
        out,
        "Health",
        AppCommand.text(app, "health")
            + (healthMessage.isEmpty() ? "" : " (" + healthMessage + ")"));
    if (app.get("operation") instanceof Map<?, ?> operation) {
      line(out, "Last sync", operation(operation));
    }
    line(out, "Automated", automation(app));
    if (app.get("syncWindows") instanceof Map<?, ?> windows
        && (!AppCommand.items(windows, "windows").isEmpty()
            || AppCommand.text(windows, "automated").equals("closed"))) {
      line(out, "Sync window", syncWindow(windows));
    }
    for (Map<?, ?> condition : AppCommand.items(app, "conditions")) {
      line(
          out,
          "Condition",
          AppCommand.text(condition, "severity")
              + " "
              + AppCommand.text(condition, "reason")
              + ": "
              + AppCommand.text(condition, "message"));
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<?, ?> object : AppCommand.items(tree, "objects")) {
      List<String> row = new ArrayList<>();
      row.add(AppCommand.text(object, "kind"));
      row.add(AppCommand.text(object, "namespace"));
      row.add(AppCommand.text(object, "name"));
      row.add(AppCommand.text(object, "sync"));
      row.add(AppCommand.text(object, "health"));
      String message = AppCommand.text(object, "message");
      if (message.isEmpty()) {
        message = AppCommand.text(object, "healthMessage");
      }
      row.add(output.wide() || message.length() <= 60 ? message : message.substring(0, 60) + "…");
      rows.add(row);
    }
    if (!rows.isEmpty()) {
      out.println();
      ClientOutput.table(
          out, List.of("KIND", "NAMESPACE", "NAME", "SYNC", "HEALTH", "MESSAGE"), rows);
    }
    return ExitCode.OK;
  }

  static String operation(Map<?, ?> operation) {
    String message = AppCommand.text(operation, "message");
    return "#"
        + AppCommand.text(operation, "historyId")
        + " "
        + AppCommand.text(operation, "phase")
        + " ("
        + AppCommand.text(operation, "trigger")
        + ", "
        + AppCommand.shortCommit(AppCommand.text(operation, "revision"))
        + ", started "
        + AppCommand.text(operation, "startedAt")
        + ")"
        + (message.isEmpty() ? "" : ": " + message);
  }

  /**
   * {@code open until 2026-12-06T22:00:00Z} or {@code closed: the deny window … is open; the next
   * window opens at …} (with whether a person may still sync).
   */
  static String syncWindow(Map<?, ?> windows) {
    String closesAt = AppCommand.text(windows, "closesAt");
    if (AppCommand.text(windows, "automated").equals("open")) {
      return "open" + (closesAt.isEmpty() ? "" : " until " + closesAt);
    }
    return "closed"
        + (AppCommand.text(windows, "manual").equals("open")
            ? " (manual syncs allowed)"
            : " (manual syncs too)")
        + ": "
        + AppCommand.text(windows, "reason");
  }

  private static String automation(Map<String, Object> app) {
    if (!(app.get("automation") instanceof Map<?, ?> automation)) {
      return "";
    }
    String disabled = AppCommand.text(automation, "disabled");
    if (!disabled.isEmpty()) {
      return "off (" + disabled + ")";
    }
    if (!Boolean.TRUE.equals(automation.get("automated"))) {
      return "no (manual syncs)";
    }
    return Boolean.TRUE.equals(automation.get("selfHeal")) ? "yes, with self-heal" : "yes";
  }

  private static void line(PrintWriter out, String label, String value) {
    out.println(String.format("%-13s %s", label + ":", value));
  }
}
