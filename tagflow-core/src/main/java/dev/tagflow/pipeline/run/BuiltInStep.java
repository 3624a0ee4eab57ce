package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Contexts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a built-in action's step sees and may change: its rendered inputs, the job's workspace and
 * temporary directory, the job's environment and {@code PATH} additions for later steps (as {@code
 * $GITHUB_ENV} and {@code $GITHUB_PATH} would change them), its log, and a place to register a step
 * that runs at the job's end.
 *
 * @param env the job's environment; what is put here reaches the later steps
 * @param paths directories for the later steps' {@code PATH}, the last added first
 * @param contexts the step's contexts, for {@code hashFiles}
 * @param posts where a step adds what runs at the job's end (in reverse order of adding)
 */
record BuiltInStep(
    RunScope scope,
    String jobKey,
    int index,
    Map<String, String> with,
    Path workspace,
    Path temp,
    Map<String, String> env,
    List<String> paths,
    Contexts contexts,
    Consumer<PostStep> posts) {

  /** Writes a runner line for this step. */
  void log(String line) {
    scope.log().runner(jobKey, index, line);
  }

  /** Writes a warning for this step, as {@code ::warning::} would. */
  void warn(String line) {
    scope.log().masked(jobKey, index, LogLine.Kind.WARNING, scope.log().mask().apply(line));
  }

  /**
   * The home directory steps run with, what {@code ~} means in a path: the job's {@code HOME} when
   * the workflow sets one, else the host's.
   */
  Path home() {
    String host = scope.host().getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(env.getOrDefault("HOME", host));
  }

  /** An input, or its default when it is absent or empty (as {@code core.getInput} reads it). */
  String input(String name, String otherwise) {
    String value = with.getOrDefault(name, "").strip();
    return value.isEmpty() ? otherwise : value;
  }

  /** A required input; a failure in GitHub's words when it is missing. */
  String required(String name) {
    String value = input(name, "");
    if (value.isEmpty()) {
      throw new StepFailure("Input required and not supplied: " + name);
    }
    return value;
  }

  /** A boolean input as GitHub's {@code core.getBooleanInput} reads it. */
  boolean flag(String name, boolean otherwise) {
    String value = input(name, Boolean.toString(otherwise));
    return switch (value) {
      case "true", "True", "TRUE" -> true;
      case "false", "False", "FALSE" -> false;
      default ->
          throw new StepFailure(
              "Input does not meet YAML 1.2 \"Core Schema\" specification: "
                  + name
                  + "; use true or false");
    };
  }

  /** Warns about inputs the action does not have, as GitHub does (a warning, not a failure). */
  void known(String action, List<String> inputs) {
    for (String name : with.keySet()) {
      if (!inputs.contains(name)) {
        warn("Unexpected input '" + name + "' for " + action + ", valid inputs are " + inputs);
      }
    }
  }
}
