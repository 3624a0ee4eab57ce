package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow app diff <name>}: Git against the cluster, as the server compares them now. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare an application's objects in Git with the cluster, now, on the server: a unified"
          + " diff per changed object with each changed field and who changed it (its manager)."
          + " Secret values are masked.",
      "Exit code 0 when everything is in sync, 1 when something differs (as kubectl diff)."
    })
final class AppDiffCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;
  @Mixin ClientOutput output;

  @Parameters(index = "0", paramLabel = "<app>", description = "The application.")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> diff;
    try (ApiConnection api = server.connect(spec.commandLine().getErr())) {
      diff = api.get(AppCommand.path(name) + "/diff");
    }
    boolean differs = Boolean.TRUE.equals(diff.get("differs"));
    if (output.data()) {
      output.printData(out, diff);
      return differs ? ExitCode.FAILED : ExitCode.OK;
    }
    for (Map<?, ?> object : AppCommand.items(diff, "objects")) {
      String subject =
          AppCommand.text(object, "kind")
              + "/"
              + (AppCommand.text(object, "namespace").isEmpty()
                  ? ""
                  : AppCommand.text(object, "namespace") + "/")
              + AppCommand.text(object, "name");
      switch (AppCommand.text(object, "state")) {
        case "InSync" -> {
          if (output.wide()) {
            out.println(subject + ": in sync");
          }
        }
        case "OutOfSync" -> {
          out.println(subject + ": out of sync");
          for (Map<?, ?> field : AppCommand.items(object, "fields")) {
            String managers =
                field.get("managers") instanceof List<?> list && !list.isEmpty()
                    ? " (changed by "
                        + String.join(", ", list.stream().map(String::valueOf).toList())
                        + ")"
                    : "";
            out.println("  " + AppCommand.text(field, "path") + managers);
          }
          out.print(AppCommand.text(object, "diff"));
        }
        case "Missing" -> {
          out.println(subject + ": missing (a sync creates it)");
          if (output.wide()) {
            out.print(AppCommand.text(object, "desired"));
          }
        }
        case "Extra" ->
            out.println(subject + ": extra (no longer in Git; a sync with --prune deletes it)");
        default -> out.println(subject + ": unknown: " + AppCommand.text(object, "reason"));
      }
    }
    if (!differs) {
      out.println(
          AppCommand.text(diff, "name")
              + " is in sync with "
              + AppCommand.shortCommit(AppCommand.text(diff, "revision")));
    }
    out.flush();
    return differs ? ExitCode.FAILED : ExitCode.OK;
  }
}
