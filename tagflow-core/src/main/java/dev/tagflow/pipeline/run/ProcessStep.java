package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One process run as a step — a {@code run:} script, or a JavaScript action's {@code main}, {@code
 * pre} or {@code post} — with GitHub's files ({@code $GITHUB_OUTPUT}, {@code $GITHUB_ENV}, {@code
 * $GITHUB_PATH}, {@code $GITHUB_STEP_SUMMARY}, {@code $GITHUB_STATE}) and variables, its output
 * through {@link WorkflowCommands} into the masked log, and what its files said taken into the
 * job's {@link JobState}.
 */
final class ProcessStep {

  /**
   * How the process ended.
   *
   * @param outputs as written, unmasked (later steps read them so)
   * @param state what it wrote to {@code $GITHUB_STATE}, for its post step
   * @param message why it failed or was cancelled; empty on success
   */
  record Outcome(
      Conclusion outcome,
      String message,
      Map<String, String> outputs,
      Map<String, String> state,
      Optional<Integer> exitCode) {

    static Outcome failed(String message) {
      return new Outcome(Conclusion.FAILURE, message, Map.of(), Map.of(), Optional.empty());
    }

    static Outcome succeeded(Map<String, String> outputs) {
      return new Outcome(Conclusion.SUCCESS, "", outputs, Map.of(), Optional.empty());
    }
  }

  private static final List<String> FILES =
      List.of("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_STATE");

  private ProcessStep() {}

  /**
   * Runs {@code command} in {@code directory}.
   *
   * @param index the job's step, for the log
   * @param action {@code GITHUB_ACTION}
   * @param stepEnv the step's env (job env, {@code $GITHUB_ENV}, its own)
   * @param extra set after GitHub's variables ({@code INPUT_*}, {@code STATE_*}, {@code
   *     GITHUB_ACTION_PATH})
   */
  static Outcome run(
      JobState job,
      int index,
      String action,
      List<String> command,
      Path directory,
      Map<String, String> stepEnv,
      Map<String, String> extra,
      Optional<Instant> deadline) {
    Path files = job.temp.resolve("_runner_file_commands");
    int number = job.nextFile();
    Map<String, Path> commandFiles = new LinkedHashMap<>();
    try {
      Files.createDirectories(files);
      for (String name : FILES) {
        Path file = files.resolve(name.toLowerCase(Locale.ROOT) + "_" + number);
        Files.deleteIfExists(file);
        Files.createFile(file);
        commandFiles.put(name, file);
      }
    } catch (IOException e) {
      throw new StepFailure("cannot make the step's files: " + e.getMessage());
    }
    // GitHub's variables and files come last: a workflow's env cannot point them elsewhere.
    Map<String, String> processEnv = new LinkedHashMap<>(job.scope.host());
    processEnv.putAll(stepEnv);
    processEnv.putAll(job.variables(action));
    processEnv.putAll(extra);
    commandFiles.forEach((name, file) -> processEnv.put(name, file.toString()));
    if (!job.paths.isEmpty()) {
      processEnv.put(
          "PATH",
          String.join(":", job.paths.reversed()) + ":" + processEnv.getOrDefault("PATH", ""));
    }
    RunLog log = job.scope.log();
    WorkflowCommands commands =
        new WorkflowCommands(log.mask(), (kind, text) -> log.masked(job.key, index, kind, text));
    StepProcess process =
        StepProcess.start(command, directory, processEnv, job.scope.request().runId());
    synchronized (job.trees) {
      job.trees.add(process.tree());
    }
    StepProcess.Ending ending;
    try {
      ending = process.await(commands::line, deadline, job.cancellation);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job.cancellation.cancel("the runner is stopping");
      ending = new StepProcess.Ending(Optional.empty(), false, true);
    } finally {
      commands.finish();
    }
    Map<String, String> outputs = new LinkedHashMap<>(commands.outputs());
    Map<String, String> state = Map.of();
    String problem = "";
    try {
      outputs.putAll(EnvFile.read(commandFiles.get("GITHUB_OUTPUT"), "$GITHUB_OUTPUT"));
      state = EnvFile.read(commandFiles.get("GITHUB_STATE"), "$GITHUB_STATE");
      job.env.putAll(EnvFile.read(commandFiles.get("GITHUB_ENV"), "$GITHUB_ENV"));
      for (String line :
          Files.readAllLines(commandFiles.get("GITHUB_PATH"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          job.paths.add(line.strip());
        }
      }
      String written =
          Files.readString(commandFiles.get("GITHUB_STEP_SUMMARY"), StandardCharsets.UTF_8);
      job.summary.append(log.mask().apply(written));
    } catch (StepFailure | IOException e) {
      problem = e.getMessage();
      job.log(index, "failed: " + problem);
    }
    Conclusion outcome;
    String message;
    if (ending.cancelled()) {
      outcome = Conclusion.CANCELLED;
      message = "cancelled: " + job.cancellation.reason().orElse("cancelled");
    } else if (ending.timedOut()) {
      outcome = Conclusion.FAILURE;
      message = "timed out: the step ran past its timeout-minutes and was killed";
    } else if (ending.exitCode().orElse(-1) != 0) {
      outcome = Conclusion.FAILURE;
      message = "exit code " + ending.exitCode().orElse(-1);
    } else if (!problem.isEmpty()) {
      outcome = Conclusion.FAILURE;
      message = problem;
    } else {
      outcome = Conclusion.SUCCESS;
      message = "";
    }
    if (!message.isEmpty()) {
      job.log(index, message);
    }
    return new Outcome(outcome, message, outputs, state, ending.exitCode());
  }

  /**
   * A {@code run:} script: written to the job's temporary directory and run with its shell in
   * {@code directory} (relative to the workspace; the workspace when empty).
   */
  static Outcome script(
      JobState job,
      int index,
      String action,
      String script,
      String shell,
      String directory,
      Map<String, String> stepEnv,
      Map<String, String> extra,
      Optional<Instant> deadline) {
    Path dir = Checkout.inside(job.workspace, directory);
    if (!Files.isDirectory(dir)) {
      throw new StepFailure(
          "working-directory '"
              + job.workspace.relativize(dir)
              + "' does not exist in the workspace");
    }
    Shell chosen = Shell.of(shell);
    Path scriptFile = job.temp.resolve("step-" + job.nextFile() + chosen.extension());
    try {
      Files.createDirectories(job.temp);
      Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StepFailure("cannot write the step's script: " + e.getMessage());
    }
    try {
      return run(job, index, action, chosen.command(scriptFile), dir, stepEnv, extra, deadline);
    } finally {
      // The script holds the step's expressions rendered, secrets in clear: it goes with the step,
      // as GitHub's runner deletes its temporary scripts.
      try {
        Files.deleteIfExists(scriptFile);
      } catch (IOException e) {
        job.log(index, "could not delete the step's script: " + e.getMessage());
      }
    }
  }
}
