package dev.tagflow.cli;

import dev.tagflow.PlainJson;
import dev.tagflow.server.pipeline.PipelineRequests;
import dev.tagflow.store.RunRecord;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code tagflow runs rerun <id> [--force]}: the running server runs a recorded run's workflow
 * again, with what its runs have (secrets, the environment-repository writer of {@code
 * tagflow/promote}); this waits for it to end.
 */
@Command(
    name = "rerun",
    mixinStandardHelpOptions = true,
    description = {
      "Ask tagflow server to run a recorded run's workflow again at its commit, as a new run"
          + " (an interrupted, failed or cancelled run; not a running or queued one), and wait for"
          + " it to end. It runs in the server, with the server's secrets and its"
          + " environment-repository writer for tagflow/promote steps.",
      "A run refused because its tag moved runs only with --force, at the commit the tag names"
          + " now. Exits 0 when the new run succeeded, 1 when it did not, 2 when it could not"
          + " start; with --no-wait once it is queued."
    })
final class RunsRerunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;
  @Mixin ServerRequestOptions server;

  @Parameters(index = "0", paramLabel = "<id>", description = "The run (tagflow runs list).")
  String runId;

  @Option(
      names = "--force",
      description = "Run a tag's workflow even though the tag ran at another commit.")
  boolean force;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (RunsContext context = new RunsContext(dataDir.resolve(), database.database)) {
      RunRecord run = context.run(runId);
      ObjectNode request = PlainJson.MAPPER.createObjectNode();
      request.put("kind", "rerun");
      request.put("run", run.runId());
      request.put("force", force);
      JsonNode answer = new PipelineRequests(dataDir.resolve()).ask(request, server.patience());
      String newRun = ServerRequestOptions.runOf(answer);
      out.println("run " + newRun + " queued in the server (again of " + runId + ")");
      out.flush();
      return server.follow(context, newRun, out);
    }
  }
}
