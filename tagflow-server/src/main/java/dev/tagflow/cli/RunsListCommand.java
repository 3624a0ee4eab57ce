package dev.tagflow.cli;

import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.store.RunRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagflow runs list}: the pipeline runs, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List pipeline runs, newest first.")
final class RunsListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;
  @Mixin OutputFormat output;

  @Option(
      names = "--repo",
      paramLabel = "<owner/name>",
      description = "Only the runs of this repository.")
  String repo;

  @Option(
      names = "--ref",
      paramLabel = "<ref>",
      description = "Only the runs of this tag or branch (v1.2.3 or refs/tags/v1.2.3).")
  String ref;

  @Option(
      names = "--limit",
      paramLabel = "<n>",
      defaultValue = "100",
      description = "At most this many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    try (RunsContext context = new RunsContext(dataDir.resolve(), database.database)) {
      List<RunRecord> runs =
          context.runs().latest(Integer.MAX_VALUE).stream()
              .filter(r -> repo == null || r.repository().equals(repo))
              .filter(r -> ref == null || matches(r.ref(), ref))
              .limit(Math.max(0, limit))
              .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        output.printJson(out, runs.stream().map(RunsListCommand::json).toList());
        return ExitCode.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (RunRecord r : runs) {
        rows.add(
            List.of(
                r.runId(),
                r.repository(),
                r.ref().replaceFirst("^refs/(tags|heads)/", ""),
                r.commit().substring(0, Math.min(12, r.commit().length())),
                r.workflow(),
                status(r),
                r.started().toString()));
      }
      OutputFormat.printTable(
          out,
          List.of("RUN", "REPOSITORY", "REF", "COMMIT", "WORKFLOW", "STATUS", "STARTED"),
          rows);
      return ExitCode.OK;
    }
  }

  private static boolean matches(String full, String given) {
    return full.equals(given)
        || full.equals("refs/tags/" + given)
        || full.equals("refs/heads/" + given);
  }

  /** The status as people read it: a refusal is not a failed build. */
  static String status(RunRecord r) {
    return PipelineService.isRefusal(r) ? "refused" : r.status().name().toLowerCase(Locale.ROOT);
  }

  static Map<String, Object> json(RunRecord r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", r.runId());
    json.put("repository", r.repository());
    json.put("workflow", r.workflow());
    json.put("ref", r.ref());
    json.put("commit", r.commit());
    json.put("event", r.event());
    json.put("status", status(r));
    json.put("started", r.started().toString());
    json.put("finished", r.finished().map(Object::toString).orElse(null));
    json.put("log", r.log());
    return json;
  }
}
