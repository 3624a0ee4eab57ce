package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.cli.client.ClientFailure;
import dev.tagflow.local.LocalSetupException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Entry point of the {@code tagflow} command line. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    chooseLogLevel(List.of(args));
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * The daemon logs every event; a command prints its own output and logs only warnings, unless
   * --debug is given or TAGFLOW_LOG_LEVEL says otherwise. Set before the first logger exists.
   */
  private static void chooseLogLevel(List<String> args) {
    if (System.getenv("TAGFLOW_LOG_LEVEL") != null
        || System.getProperty("TAGFLOW_LOG_LEVEL") != null) {
      return;
    }
    String level = args.contains("--debug") ? "DEBUG" : args.contains("server") ? "INFO" : "WARN";
    System.setProperty("TAGFLOW_LOG_LEVEL", level);
  }

  /** Runs one command line and returns its exit code; used by {@link #main} and by tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = TagflowCommand.commandLine(args);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExitCodeExceptionMapper(Main::exitCodeOf);
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          boolean debug = debugRequested(parseResult);
          reportFailure(exception, debug, cmd.getErr());
          return exitCodeOf(exception);
        });
    commandLine.setParameterExceptionHandler(
        (exception, argv) -> {
          CommandLine cmd = exception.getCommandLine();
          // picocli quotes the arguments it could not use, and an argument may be a URL.
          cmd.getErr().println("tagflow: " + UrlRedaction.redact(exception.getMessage()));
          cmd.getErr()
              .println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
          return ExitCode.INVALID_INPUT;
        });
    return commandLine.execute(args);
  }

  private static boolean debugRequested(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  static int exitCodeOf(Throwable exception) {
    if (exception instanceof ClientFailure failure) {
      return failure.exitCode();
    }
    if (exception instanceof TagflowException failure) {
      return failure.reason() == TagflowException.Reason.INVALID_INPUT
          ? ExitCode.INVALID_INPUT
          : ExitCode.FAILED;
    }
    if (exception instanceof LocalSetupException failure) {
      return failure.invalidInput() ? ExitCode.INVALID_INPUT : ExitCode.FAILED;
    }
    if (exception instanceof CommandLine.ParameterException) {
      return ExitCode.INVALID_INPUT;
    }
    return ExitCode.FAILED;
  }

  /**
   * Prints a failure; whatever it says passes {@link UrlRedaction}, since a message or a cause's
   * (JGit's, for one) may quote a URL with credentials.
   */
  private static void reportFailure(Exception exception, boolean debug, PrintWriter err) {
    if (exception instanceof TagflowException
        || exception instanceof LocalSetupException
        || exception instanceof ClientFailure) {
      err.println("tagflow: " + UrlRedaction.redact(exception.getMessage()));
    } else {
      err.println(
          "tagflow: unexpected error: "
              + UrlRedaction.redact(exception.toString())
              + " (run again with --debug for details)");
    }
    if (debug) {
      StringWriter trace = new StringWriter();
      exception.printStackTrace(new PrintWriter(trace));
      err.print(UrlRedaction.redact(trace.toString()));
    }
    err.flush();
  }
}
