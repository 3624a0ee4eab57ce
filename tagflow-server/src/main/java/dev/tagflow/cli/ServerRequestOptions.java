package dev.tagflow.cli;

import dev.tagflow.NodeText;
import dev.tagflow.TagflowException;
import dev.tagflow.store.RunRecord;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The options of verbs that ask the running server for a run ({@code dispatch}, {@code rerun}), and
 * the waiting for it to end.
 */
final class ServerRequestOptions {

  @Option(
      names = "--server-timeout",
      defaultValue = "30s",
      paramLabel = "<duration>",
      description =
          "How long to wait for tagflow server of the data directory to take the request"
              + " (default: ${DEFAULT-VALUE}).")
  String serverTimeout;

  @Option(
      names = "--no-wait",
      description = "Return once the server has queued the run, without waiting for its end.")
  boolean noWait;

  Duration patience() {
    return DiffCommand.duration(serverTimeout);
  }

  /** The run id of the server's answer, or its error as the verb's. */
  static String runOf(JsonNode answer) {
    if (answer.has("error")) {
      throw TagflowException.invalidInput(NodeText.of(answer.path("error")));
    }
    return NodeText.of(answer.path("run"));
  }

  /** Waits for the run to end (unless --no-wait) and says how it ended. */
  int follow(RunsContext context, String runId, PrintWriter out) throws InterruptedException {
    if (noWait) {
      out.println("tagflow runs logs " + runId + " -f follows it");
      return ExitCode.OK;
    }
    RunRecord run = context.run(runId);
    while (run.status() == RunRecord.RunStatus.QUEUED
        || run.status() == RunRecord.RunStatus.RUNNING) {
      Thread.sleep(200);
      run = context.run(runId);
    }
    out.println(run.workflow() + ": " + RunsListCommand.status(run) + " (run " + run.runId() + ")");
    out.println("log: " + run.log());
    return run.status() == RunRecord.RunStatus.SUCCESS ? ExitCode.OK : ExitCode.FAILED;
  }
}
