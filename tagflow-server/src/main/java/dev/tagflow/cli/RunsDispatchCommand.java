package dev.tagflow.cli;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.server.pipeline.PipelineRequests;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code tagflow runs dispatch --repo R --workflow release.yml --ref v1.2.3 -f name=value}: a
 * manual run ({@code workflow_dispatch}) in the running server, as GitHub's "Run workflow".
 */
@Command(
    name = "dispatch",
    mixinStandardHelpOptions = true,
    description = {
      "Ask tagflow server to run a workflow by hand (on.workflow_dispatch) for a tag or branch of"
          + " a repository, with its inputs, and wait for the run to end.",
      "Inputs are checked against what the workflow declares (choice, boolean, number, string;"
          + " required; defaults): an unknown, missing or wrong input refuses the run, naming it."
          + " A workflow without workflow_dispatch is refused. Exits 0 when the run succeeded, 1"
          + " when it did not, 2 when it was refused."
    })
final class RunsDispatchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;
  @Mixin ServerRequestOptions server;

  @Option(
      names = "--repo",
      required = true,
      paramLabel = "<repository>",
      description =
          "The repository: its tagflow repo add name, the name of a repository of the server's"
              + " Git server, or its URL.")
  String repository;

  @Option(
      names = "--workflow",
      required = true,
      paramLabel = "<file>",
      description = "The workflow: its file name (release.yml) or path (.github/workflows/…).")
  String workflow;

  @Option(
      names = "--ref",
      required = true,
      paramLabel = "<ref>",
      description = "The tag or branch to run at (v1.2.3, main, refs/tags/v1.2.3).")
  String ref;

  @Option(
      names = {"-f", "--field"},
      paramLabel = "<name=value>",
      description = "An input of the workflow, as gh workflow run -f; repeat for more.")
  List<String> fields = List.of();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> inputs = inputs(fields);
    try (RunsContext context = new RunsContext(dataDir.resolve(), database.database)) {
      ObjectNode request = PlainJson.MAPPER.createObjectNode();
      request.put("kind", "dispatch");
      request.put("repository", repository);
      request.put("workflow", workflow);
      request.put("ref", ref);
      ObjectNode given = request.putObject("inputs");
      inputs.forEach(given::put);
      JsonNode answer = new PipelineRequests(dataDir.resolve()).ask(request, server.patience());
      String runId = ServerRequestOptions.runOf(answer);
      out.println("run " + runId + " queued in the server (" + workflow + " at " + ref + ")");
      out.flush();
      return server.follow(context, runId, out);
    }
  }

  /** {@code name=value} pairs; a value may hold '=' and be empty, a name may not. */
  static Map<String, String> inputs(List<String> fields) {
    Map<String, String> inputs = new LinkedHashMap<>();
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals <= 0) {
        throw TagflowException.invalidInput(
            "-f " + field + ": give an input as name=value (-f environment=staging)");
      }
      String name = field.substring(0, equals);
      if (inputs.put(name, field.substring(equals + 1)) != null) {
        throw TagflowException.invalidInput("-f " + name + " is given twice");
      }
    }
    return inputs;
  }
}
