package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagflow app list}: the applications the caller may see, by name. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the applications you may see, with environment, sync and health.")
final class AppListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;
  @Mixin ClientOutput output;

  @Option(names = "--project", paramLabel = "<project>", description = "Only this project.")
  String project;

  @Option(names = "--environment", paramLabel = "<env>", description = "Only this environment.")
  String environment;

  @Option(
      names = "--sync",
      paramLabel = "<status>",
      description = "Only this sync status: Synced, OutOfSync, Unknown.")
  String sync;

  @Option(
      names = "--health",
      paramLabel = "<health>",
      description = "Only this health: Healthy, Progressing, Degraded, Missing, …")
  String health;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Map<?, ?>> items = new ArrayList<>();
    try (ApiConnection api = server.connect(spec.commandLine().getErr())) {
      String after = null;
      do {
        Map<String, Object> page = api.get(AppCommand.PATH + query(after));
        items.addAll(AppCommand.items(page, "items"));
        after = page.get("next") instanceof String next ? next : null;
      } while (after != null);
    }
    if (output.data()) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("items", items);
      output.printData(out, all);
      return ExitCode.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<?, ?> app : items) {
      List<String> row = new ArrayList<>();
      row.add(AppCommand.text(app, "name"));
      row.add(AppCommand.text(app, "environment"));
      row.add(AppCommand.text(app, "sync"));
      row.add(AppCommand.text(app, "health"));
      row.add(AppCommand.shortCommit(AppCommand.text(app, "revision")));
      if (output.wide()) {
        row.add(AppCommand.text(app, "project"));
        row.add(
            AppCommand.text(app, "destination", "cluster")
                + "/"
                + AppCommand.text(app, "destination", "namespace"));
        row.add(AppCommand.text(app, "source", "targetRevision"));
        row.add(AppCommand.text(app, "source", "repoURL"));
        row.add(AppCommand.text(app, "source", "path"));
      }
      rows.add(row);
    }
    List<String> header =
        new ArrayList<>(List.of("NAME", "ENVIRONMENT", "SYNC", "HEALTH", "REVISION"));
    if (output.wide()) {
      header.addAll(List.of("PROJECT", "DESTINATION", "TARGET", "REPOSITORY", "PATH"));
    }
    if (rows.isEmpty()) {
      spec.commandLine().getErr().println("No applications (that you may see).");
      return ExitCode.OK;
    }
    ClientOutput.table(out, header, rows);
    return ExitCode.OK;
  }

  private String query(String after) {
    StringBuilder query = new StringBuilder("?limit=500");
    add(query, "project", project);
    add(query, "environment", environment);
    add(query, "sync", sync);
    add(query, "health", health);
    add(query, "after", after);
    return query.toString();
  }

  private static void add(StringBuilder query, String name, String value) {
    if (value != null) {
      query
          .append('&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }
}
