package dev.tagflow.pipeline.run;

/**
 * Follows a run live (the CLI's {@code logs -f}, the UI): every log line as it is written, already
 * masked, and each job and the run as they end. Called from the run's threads; keep it quick.
 */
public interface RunListener {

  void line(LogLine line);

  default void jobFinished(JobResult job) {}

  default void runFinished(RunResult run) {}
}
