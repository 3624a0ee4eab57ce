package dev.tagflow.cli;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.server.pipeline.PipelineRequests;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.store.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code tagflow runs cancel <id>}: asks the running server to cancel a run, by a request file in
 * the run's directory that the server watches.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Ask tagflow server to cancel a running or queued run: it kills the run's step processes (their"
          + " whole trees) within a second and records the run cancelled.",
      "The request is a file in the run's directory that the server of this data directory"
          + " watches; when no server runs, a run left running is marked interrupted at the"
          + " server's next start. A 'tagflow workflow run' is cancelled with Ctrl-C."
    })
final class RunsCancelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;

  @Option(
      names = "--server-timeout",
      defaultValue = "30s",
      paramLabel = "<duration>",
      description =
          "For a queued run: how long to wait for tagflow server to take the request (default:"
              + " ${DEFAULT-VALUE}).")
  String serverTimeout;

  @Parameters(index = "0", paramLabel = "<id>", description = "The run (tagflow runs list).")
  String runId;

  @Override
  public Integer call() throws InterruptedException {
    try (RunsContext context = new RunsContext(dataDir.resolve(), database.database)) {
      RunRecord run = context.run(runId);
      if (run.status() == RunRecord.RunStatus.QUEUED) {
        // A queued run has no directory yet: the server takes it off its queue.
        ObjectNode request = PlainJson.MAPPER.createObjectNode();
        request.put("kind", "cancel");
        request.put("run", runId);
        request.put("by", "cancelled with tagflow runs cancel");
        JsonNode answer =
            new PipelineRequests(dataDir.resolve())
                .ask(request, DiffCommand.duration(serverTimeout));
        ServerRequestOptions.runOf(answer);
        spec.commandLine()
            .getOut()
            .println(
                answer.path("cancelled").asBoolean()
                    ? "run " + runId + " cancelled before it started"
                    : "run " + runId + " had started already; ask again to cancel it");
        return ExitCode.OK;
      }
      if (run.status() != RunRecord.RunStatus.RUNNING) {
        throw TagflowException.invalidInput(
            "run "
                + runId
                + " is not running (it is "
                + RunsListCommand.status(run)
                + "); nothing to cancel");
      }
      Path request = Path.of(run.log()).resolveSibling(PipelineService.CANCEL_FILE);
      try {
        Files.writeString(request, "cancelled with tagflow runs cancel");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the cancel request " + request, e);
      }
      spec.commandLine()
          .getOut()
          .println(
              "cancel of run "
                  + runId
                  + " requested; tagflow runs show "
                  + runId
                  + " tells when it ended");
      return ExitCode.OK;
    }
  }
}
