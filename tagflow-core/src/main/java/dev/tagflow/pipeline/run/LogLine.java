package dev.tagflow.pipeline.run;

import java.time.Instant;

/**
 * One line of a run's log, already masked.
 *
 * @param job the job instance's key; empty for a line of the run itself
 * @param step the step's index in its job, or -1 for a line of the job or run
 */
public record LogLine(Instant time, String job, int step, Kind kind, String text) {

  /** What the line is: a step's output, or what a workflow command or the runner says. */
  public enum Kind {
    OUTPUT,
    ERROR,
    WARNING,
    NOTICE,
    DEBUG,
    GROUP,
    END_GROUP,
    RUNNER
  }

  /** As written in the log file: {@code time job#step kind text}. */
  public String format() {
    String where = job.isEmpty() ? "-" : job + (step >= 0 ? "#" + step : "");
    String prefix =
        switch (kind) {
          case OUTPUT -> "";
          case ERROR -> "Error: ";
          case WARNING -> "Warning: ";
          case NOTICE -> "Notice: ";
          case DEBUG -> "Debug: ";
          case GROUP -> "▸ ";
          case END_GROUP -> "◂ ";
          case RUNNER -> "[runner] ";
        };
    return time + " " + where + " " + prefix + text;
  }
}
