package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.store.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow runs logs <id> [-f]}: a run's log, followed until the run ends with -f. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description =
        "Print a run's log (secrets masked as the runner wrote it); with -f, keep printing what"
            + " a running run writes until it ends.")
final class RunsLogsCommand implements Callable<Integer> {

  /** How often a followed log is read again; a log line is seen within this. */
  private static final long FOLLOW_EVERY_MILLIS = 200;

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;

  @Parameters(index = "0", paramLabel = "<id>", description = "The run (tagflow runs list).")
  String runId;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow a running (or queued) run's log until it ends.")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (RunsContext context = new RunsContext(dataDir.resolve(), database.database)) {
      RunRecord run = context.run(runId);
      Path log = Path.of(run.log());
      long offset = 0;
      while (true) {
        // Read the status before the file: what the run wrote before it ended is then printed.
        // A queued run has no log yet; following it waits for it to start.
        boolean running =
            context
                .runs()
                .get(runId)
                .map(
                    r ->
                        r.status() == RunRecord.RunStatus.RUNNING
                            || r.status() == RunRecord.RunStatus.QUEUED)
                .orElse(false);
        offset = print(out, log, offset);
        if (!follow || !running) {
          return ExitCode.OK;
        }
        Thread.sleep(FOLLOW_EVERY_MILLIS);
      }
    }
  }

  /** Prints the whole lines written after {@code offset}; returns where they end. */
  private static long print(PrintWriter out, Path log, long offset) {
    if (!Files.exists(log)) {
      if (offset == 0) {
        return 0;
      }
      throw TagflowException.invalidInput("the run's log " + log + " was removed");
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length <= offset) {
        return offset;
      }
      byte[] bytes = new byte[(int) Math.min(length - offset, 8 * 1024 * 1024)];
      file.seek(offset);
      file.readFully(bytes);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      out.print(new String(bytes, 0, end, StandardCharsets.UTF_8));
      out.flush();
      return offset + end;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the run's log " + log, e);
    }
  }
}
