package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.pipeline.run.Conclusion;
import dev.tagflow.pipeline.run.RunHandle;
import dev.tagflow.pipeline.run.RunResult;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.store.RunRecord;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow runs rerun <id> [--force]}: runs a recorded run's workflow again, here. */
@Command(
    name = "rerun",
    mixinStandardHelpOptions = true,
    description = {
      "Run a recorded run's workflow again at its commit, in this process, as a new run of the"
          + " data directory (an interrupted, failed or cancelled run; not a running one).",
      "A run refused because its tag moved runs only with --force, at the commit the tag names"
          + " now. Exits 0 when the new run succeeded, 1 when it did not."
    })
final class RunsRerunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;

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
      PipelineService pipeline =
          new PipelineService(
              dataDir.resolve(),
              url -> {
                throw TagflowException.invalidInput("a rerun reads the run's own repository");
              },
              context.runs(),
              1,
              4,
              Clock.systemUTC(),
              // A rerun from the command line has no environment-repository writer: its
              // tagflow/promote steps fail as not configured (rerun it in the server instead).
              Optional.empty());
      RunHandle handle = pipeline.rerun(run, force);
      out.println("run " + handle.runId() + " started (again of " + runId + ")");
      out.flush();
      // Ctrl-C: the run's processes are killed and it is recorded interrupted.
      Thread stop = new Thread(() -> pipeline.close(Duration.ofSeconds(5)));
      Runtime.getRuntime().addShutdownHook(stop);
      RunResult result;
      try {
        result = handle.await();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException e) {
          // the JVM is stopping: the hook is cancelling the run
        }
      }
      out.println(
          result.workflow() + ": " + result.conclusion().word() + " (run " + result.runId() + ")");
      out.println("log: " + result.log());
      return result.conclusion() == Conclusion.SUCCESS ? ExitCode.OK : ExitCode.FAILED;
    }
  }
}
