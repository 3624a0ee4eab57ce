package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Condition;
import dev.tagflow.pipeline.expression.Contexts;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Template;
import dev.tagflow.pipeline.expression.Value;
import dev.tagflow.pipeline.workflow.ActionRef;
import dev.tagflow.pipeline.workflow.Job;
import dev.tagflow.pipeline.workflow.Step;
import dev.tagflow.pipeline.workflow.StepAction;
import dev.tagflow.pipeline.workflow.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job instance (a job, or one combination of its matrix) on the Tagflow host: its own workspace
 * and temporary directory, its steps one after the other, GitHub's files and variables, and at the
 * end its outputs and the killing of whatever its steps left running.
 */
final class JobExecution {

  private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

  /** GitHub's default: "360 minutes". */
  static final double DEFAULT_TIMEOUT_MINUTES = 360;

  private final RunScope scope;
  private final Job job;
  private final String key;
  private final Map<String, Object> matrix;
  private final Value needs;
  private final Value strategy;
  private final Cancellation cancellation;
  private final Path directory;
  private final Path workspace;
  private final Path temp;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> paths = new ArrayList<>();
  private final Map<String, Value> steps = new LinkedHashMap<>();
  private final List<ProcessTree> trees = new ArrayList<>();
  private final StringBuilder summary = new StringBuilder();
  // Outputs as the steps wrote them, for later steps; results carry them masked.
  private final Map<Integer, Map<String, String>> rawOutputs = new LinkedHashMap<>();

  JobExecution(
      RunScope scope,
      Job job,
      String key,
      int instance,
      Map<String, Object> matrix,
      Value needs,
      Value strategy,
      Cancellation cancellation) {
    this.scope = scope;
    this.job = job;
    this.key = key;
    this.matrix = matrix;
    this.needs = needs;
    this.strategy = strategy;
    this.cancellation = cancellation;
    this.directory = scope.directory().resolve("jobs").resolve(job.id() + "-" + instance);
    this.workspace = directory.resolve("workspace");
    this.temp = directory.resolve("temp");
  }

  JobResult run() {
    Instant started = Instant.now();
    List<StepResult> results = new ArrayList<>();
    Contexts.Status status = Contexts.Status.SUCCESS;
    try {
      Files.createDirectories(workspace);
      Files.createDirectories(temp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the job's directories in " + directory, e);
    }
    String message = "";
    Optional<Instant> deadline;
    try {
      env.putAll(render(scope.workflow().env(), contexts(status, false)));
      env.putAll(render(job.env(), contexts(status, false)));
      double minutes = minutes(job.timeoutMinutes(), DEFAULT_TIMEOUT_MINUTES);
      deadline = Optional.of(started.plusMillis((long) (minutes * 60_000)));
    } catch (StepFailure e) {
      scope.log().runner(key, -1, "the job cannot start: " + e.getMessage());
      return finish(started, Conclusion.FAILURE, results, Map.of(), e.getMessage());
    }
    boolean timedOut = false;
    for (Step step : job.steps()) {
      if (cancellation.cancelled()) {
        status = Contexts.Status.CANCELLED;
      }
      if (timedOut) {
        results.add(skipped(step, "the job timed out"));
        continue;
      }
      StepResult result = step(step, status, deadline);
      results.add(result);
      Map<String, String> rawOutputs = rawOutputs(result);
      step.id()
          .ifPresent(
              id ->
                  steps.put(
                      id,
                      Value.object(
                          Map.of(
                              "outputs", RunScope.strings(rawOutputs),
                              "outcome", Value.of(result.outcome().word()),
                              "conclusion", Value.of(result.conclusion().word())))));
      if (result.conclusion() == Conclusion.FAILURE && status == Contexts.Status.SUCCESS) {
        status = Contexts.Status.FAILURE;
        message = "step " + (step.index() + 1) + " (" + result.name() + ") failed";
      }
      if (result.conclusion() == Conclusion.CANCELLED) {
        status = Contexts.Status.CANCELLED;
      }
      if (deadline.isPresent() && Instant.now().isAfter(deadline.get())) {
        timedOut = true;
        status = Contexts.Status.FAILURE;
        message = "the job timed out after its timeout-minutes";
        scope.log().runner(key, -1, message);
      }
    }
    for (ProcessTree tree : trees) {
      tree.kill(StepProcess.KILL_PATIENCE);
    }
    Conclusion conclusion =
        switch (status) {
          case SUCCESS -> Conclusion.SUCCESS;
          case FAILURE -> Conclusion.FAILURE;
          case CANCELLED -> Conclusion.CANCELLED;
        };
    if (conclusion == Conclusion.CANCELLED) {
      message = "cancelled: " + cancellation.reason().orElse("cancelled");
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    Contexts end = contexts(status, true);
    for (Map.Entry<String, Text> output : job.outputs().entrySet()) {
      try {
        String value = Template.parse(output.getValue().value()).render(end);
        if (scope.log().mask().contains(value)) {
          scope
              .log()
              .runner(
                  key,
                  -1,
                  "output '"
                      + output.getKey()
                      + "' holds a secret and is not passed on (as on GitHub)");
        } else {
          outputs.put(output.getKey(), value);
        }
      } catch (ExpressionException e) {
        scope.log().runner(key, -1, "output '" + output.getKey() + "': " + e.getMessage());
        conclusion = conclusion == Conclusion.SUCCESS ? Conclusion.FAILURE : conclusion;
      }
    }
    return finish(started, conclusion, results, outputs, message);
  }

  private JobResult finish(
      Instant started,
      Conclusion conclusion,
      List<StepResult> results,
      Map<String, String> outputs,
      String message) {
    JobResult result =
        new JobResult(
            job.id(),
            key,
            matrix,
            conclusion,
            started,
            Instant.now(),
            outputs,
            results,
            summary.toString(),
            message);
    LOG.info(
        "run {} of {}: job {} {}",
        scope.request().runId(),
        scope.request().repository(),
        key,
        conclusion.word());
    return result;
  }

  private StepResult skipped(Step step, String why) {
    Instant now = Instant.now();
    return new StepResult(
        step.index(),
        step.id(),
        step.displayName(),
        Conclusion.SKIPPED,
        Conclusion.SKIPPED,
        now,
        now,
        Map.of(),
        Optional.empty(),
        why);
  }

  private StepResult step(Step step, Contexts.Status status, Optional<Instant> jobDeadline) {
    Instant started = Instant.now();
    int index = step.index();
    Contexts before = contexts(status, true);
    try {
      Condition condition = Condition.parse(step.condition().map(Text::value).orElse(""));
      if (!condition.test(before)) {
        scope.log().runner(key, index, "skipped: " + step.displayName());
        return skipped(step, "if: " + condition.text() + " was false");
      }
    } catch (ExpressionException e) {
      return failed(step, started, "if: " + e.getMessage(), Optional.empty(), false);
    }
    scope.log().runner(key, index, "▶ " + step.displayName());
    boolean continueOnError = false;
    try {
      continueOnError = flag(step.continueOnError(), before);
      Map<String, String> stepEnv = new LinkedHashMap<>(env);
      stepEnv.putAll(render(step.env(), withEnv(status, stepEnv)));
      Contexts contexts = withEnv(status, stepEnv);
      Optional<Instant> deadline = jobDeadline;
      if (step.timeoutMinutes().isPresent()) {
        Instant own = started.plusMillis((long) (minutes(step.timeoutMinutes(), 0) * 60_000));
        deadline = Optional.of(deadline.filter(d -> d.isBefore(own)).orElse(own));
      }
      return switch (step.action()) {
        case StepAction.Run run ->
            runStep(step, run, stepEnv, contexts, deadline, started, continueOnError);
        case StepAction.Uses uses -> usesStep(step, uses, contexts, started, continueOnError);
      };
    } catch (StepFailure | ExpressionException e) {
      scope.log().runner(key, index, "failed: " + e.getMessage());
      return failed(step, started, e.getMessage(), Optional.empty(), continueOnError);
    }
  }

  private StepResult failed(
      Step step, Instant started, String message, Optional<Integer> exit, boolean continueOnError) {
    return new StepResult(
        step.index(),
        step.id(),
        step.displayName(),
        Conclusion.FAILURE,
        continueOnError ? Conclusion.SUCCESS : Conclusion.FAILURE,
        started,
        Instant.now(),
        Map.of(),
        exit,
        scope.log().mask().apply(message));
  }

  private StepResult usesStep(
      Step step,
      StepAction.Uses uses,
      Contexts contexts,
      Instant started,
      boolean continueOnError) {
    if (uses.action() instanceof ActionRef.BuiltIn builtIn) {
      Map<String, String> with = render(uses.with(), contexts);
      int index = step.index();
      Optional<Map<String, String>> outputs =
          switch (builtIn.action()) {
            case CHECKOUT -> {
              scope
                  .log()
                  .runner(
                      key,
                      index,
                      Checkout.run(
                          with,
                          workspace,
                          scope.request().repositoryUrl(),
                          scope.request().repository(),
                          scope.request().commit()));
              yield Optional.of(Map.of());
            }
            case IMAGE ->
                Optional.of(
                    ImageStep.run(
                        with,
                        workspace,
                        scope.request(),
                        scope.images(),
                        scope.log().mask(),
                        line -> scope.log().runner(key, index, line)));
            case PROMOTE ->
                Optional.of(
                    PromoteStep.run(
                        with,
                        scope.request(),
                        scope.promotions(),
                        line -> scope.log().runner(key, index, line)));
            default -> Optional.empty();
          };
      if (outputs.isPresent()) {
        rawOutputs.put(index, outputs.get());
        return new StepResult(
            index,
            step.id(),
            step.displayName(),
            Conclusion.SUCCESS,
            Conclusion.SUCCESS,
            started,
            Instant.now(),
            masked(outputs.get()),
            Optional.empty(),
            "");
      }
    }
    String what =
        switch (uses.action()) {
          case ActionRef.BuiltIn b -> "the built-in " + b.action().action();
          case ActionRef.Local l -> "the local action " + l.uses() + " (composite or JavaScript)";
          case ActionRef.Remote r -> "the action " + r.uses() + " (composite or JavaScript)";
        };
    throw new StepFailure(
        what
            + " is not supported yet by this runner; only run: steps, actions/checkout,"
            + " tagflow/image and tagflow/promote are");
  }

  private StepResult runStep(
      Step step,
      StepAction.Run run,
      Map<String, String> stepEnv,
      Contexts contexts,
      Optional<Instant> deadline,
      Instant started,
      boolean continueOnError) {
    int index = step.index();
    String script = Template.parse(run.script().value()).render(contexts);
    Optional<Text> shellText =
        run.shell().or(job.defaults()::shell).or(scope.workflow().defaults()::shell);
    String shell =
        shellText.map(t -> Template.parse(t.value()).render(contexts).strip()).orElse("");
    Optional<Text> dirText =
        run.workingDirectory()
            .or(job.defaults()::workingDirectory)
            .or(scope.workflow().defaults()::workingDirectory);
    Path directory =
        Checkout.inside(
            workspace, dirText.map(t -> Template.parse(t.value()).render(contexts)).orElse(""));
    if (!Files.isDirectory(directory)) {
      throw new StepFailure(
          "working-directory '"
              + workspace.relativize(directory)
              + "' does not exist in the workspace");
    }
    Shell chosen = Shell.of(shell);
    Path files = temp.resolve("_runner_file_commands");
    Path scriptFile = temp.resolve("step-" + index + chosen.extension());
    Map<String, Path> commandFiles = new LinkedHashMap<>();
    try {
      Files.createDirectories(files);
      Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
      for (String name :
          List.of(
              "GITHUB_OUTPUT",
              "GITHUB_ENV",
              "GITHUB_PATH",
              "GITHUB_STEP_SUMMARY",
              "GITHUB_STATE")) {
        Path file = files.resolve(name.toLowerCase(java.util.Locale.ROOT) + "_" + index);
        Files.deleteIfExists(file);
        Files.createFile(file);
        commandFiles.put(name, file);
      }
    } catch (IOException e) {
      throw new StepFailure("cannot write the step's script: " + e.getMessage());
    }
    // GitHub's variables and files come last: a workflow's env cannot point them elsewhere.
    Map<String, String> processEnv = new LinkedHashMap<>(scope.host());
    processEnv.putAll(stepEnv);
    processEnv.putAll(variables(step));
    commandFiles.forEach((name, file) -> processEnv.put(name, file.toString()));
    if (!paths.isEmpty()) {
      processEnv.put(
          "PATH", String.join(":", paths.reversed()) + ":" + processEnv.getOrDefault("PATH", ""));
    }
    WorkflowCommands commands =
        new WorkflowCommands(
            scope.log().mask(), (kind, text) -> scope.log().masked(key, index, kind, text));
    StepProcess process =
        StepProcess.start(
            chosen.command(scriptFile), directory, processEnv, scope.request().runId());
    trees.add(process.tree());
    StepProcess.Ending ending;
    try {
      ending = process.await(commands::line, deadline, cancellation);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancellation.cancel("the runner is stopping");
      ending = new StepProcess.Ending(Optional.empty(), false, true);
    } finally {
      commands.finish();
      // The script holds the step's expressions rendered, secrets in clear: it goes with the step,
      // as GitHub's runner deletes its temporary scripts.
      try {
        Files.deleteIfExists(scriptFile);
      } catch (IOException e) {
        scope.log().runner(key, index, "could not delete the step's script: " + e.getMessage());
      }
    }
    Map<String, String> outputs = new LinkedHashMap<>(commands.outputs());
    rawOutputs.put(index, outputs);
    String problem = "";
    try {
      outputs.putAll(EnvFile.read(commandFiles.get("GITHUB_OUTPUT"), "$GITHUB_OUTPUT"));
      env.putAll(EnvFile.read(commandFiles.get("GITHUB_ENV"), "$GITHUB_ENV"));
      for (String line :
          Files.readAllLines(commandFiles.get("GITHUB_PATH"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          paths.add(line.strip());
        }
      }
      String written =
          Files.readString(commandFiles.get("GITHUB_STEP_SUMMARY"), StandardCharsets.UTF_8);
      summary.append(scope.log().mask().apply(written));
    } catch (StepFailure | IOException e) {
      problem = e.getMessage();
      scope.log().runner(key, index, "failed: " + problem);
    }
    Conclusion outcome;
    String message;
    if (ending.cancelled()) {
      outcome = Conclusion.CANCELLED;
      message = "cancelled: " + cancellation.reason().orElse("cancelled");
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
      scope.log().runner(key, index, message);
    }
    Conclusion conclusion =
        outcome == Conclusion.FAILURE && continueOnError ? Conclusion.SUCCESS : outcome;
    return new StepResult(
        index,
        step.id(),
        step.displayName(),
        outcome,
        conclusion,
        started,
        Instant.now(),
        masked(outputs),
        ending.exitCode(),
        message);
  }

  private Map<String, String> masked(Map<String, String> outputs) {
    Map<String, String> masked = new LinkedHashMap<>();
    outputs.forEach((name, value) -> masked.put(name, scope.log().mask().apply(value)));
    return masked;
  }

  private Map<String, String> rawOutputs(StepResult result) {
    return rawOutputs.getOrDefault(result.index(), result.outputs());
  }

  /** GitHub's default variables for a step. */
  private Map<String, String> variables(Step step) {
    RunRequest r = scope.request();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("CI", "true");
    vars.put("GITHUB_ACTIONS", "true");
    vars.put("TAGFLOW", "true");
    vars.put("GITHUB_REF", r.event().ref().ref());
    vars.put("GITHUB_REF_NAME", r.event().ref().name());
    vars.put("GITHUB_REF_TYPE", scope.refType());
    vars.put("GITHUB_SHA", r.commit());
    vars.put("GITHUB_REPOSITORY", r.repository());
    vars.put("GITHUB_REPOSITORY_OWNER", scope.owner());
    vars.put("GITHUB_RUN_ID", r.runId());
    vars.put("GITHUB_RUN_NUMBER", "1");
    vars.put("GITHUB_RUN_ATTEMPT", "1");
    vars.put("GITHUB_EVENT_NAME", r.event().name());
    vars.put("GITHUB_WORKFLOW", r.workflow().displayName());
    vars.put(
        "GITHUB_WORKFLOW_REF",
        r.repository() + "/" + r.workflow().file() + "@" + r.event().ref().ref());
    vars.put("GITHUB_JOB", job.id());
    vars.put("GITHUB_ACTION", step.id().orElse("__run_" + step.index()));
    vars.put("GITHUB_ACTOR", "tagflow");
    vars.put("GITHUB_WORKSPACE", workspace.toString());
    vars.put("RUNNER_TEMP", temp.toString());
    vars.put("RUNNER_OS", "Linux");
    vars.put("RUNNER_ARCH", arch());
    vars.put("RUNNER_NAME", "tagflow");
    vars.put("RUNNER_ENVIRONMENT", "self-hosted");
    return vars;
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "X64";
      case "aarch64", "arm64" -> "ARM64";
      default -> arch.toUpperCase(java.util.Locale.ROOT);
    };
  }

  private Contexts withEnv(Contexts.Status status, Map<String, String> stepEnv) {
    return builder(status, true).put("env", RunScope.strings(stepEnv)).build();
  }

  private Contexts contexts(Contexts.Status status, boolean inJob) {
    return builder(status, inJob).put("env", RunScope.strings(env)).build();
  }

  private Contexts.Builder builder(Contexts.Status status, boolean inJob) {
    RunRequest r = scope.request();
    Contexts.Builder b =
        Contexts.builder()
            .status(status)
            .workspace(workspace)
            .put("github", scope.github(job.id(), workspace))
            .put("vars", RunScope.strings(r.vars()))
            .put("secrets", RunScope.strings(r.secrets()))
            .put("inputs", RunScope.strings(r.event().inputs()))
            .put("needs", needs)
            .put("matrix", MatrixValues.toValue(matrix))
            .put("strategy", strategy);
    if (inJob) {
      b.put("steps", Value.object(steps))
          .put(
              "job",
              Value.object(
                  Map.of("status", Value.of(status.name().toLowerCase(java.util.Locale.ROOT)))))
          .put(
              "runner",
              Value.object(
                  Map.of(
                      "os", Value.of("Linux"),
                      "arch", Value.of(arch()),
                      "name", Value.of("tagflow"),
                      "temp", Value.of(temp.toString()))));
    }
    return b;
  }

  private Map<String, String> render(Map<String, Text> values, Contexts contexts) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Text> e : values.entrySet()) {
      try {
        out.put(e.getKey(), Template.parse(e.getValue().value()).render(contexts));
      } catch (ExpressionException x) {
        throw new StepFailure(
            e.getKey()
                + " at "
                + scope.workflow().file()
                + ":"
                + e.getValue().at()
                + ": "
                + x.getMessage());
      }
    }
    return out;
  }

  private double minutes(Optional<Text> text, double otherwise) {
    if (text.isEmpty()) {
      return otherwise;
    }
    String value =
        Template.parse(text.get().value()).render(contexts(Contexts.Status.SUCCESS, true)).strip();
    try {
      double minutes = Double.parseDouble(value);
      if (minutes > 0 && Double.isFinite(minutes)) {
        return minutes;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new StepFailure(
        "timeout-minutes at "
            + scope.workflow().file()
            + ":"
            + text.get().at()
            + " is '"
            + value
            + "', not a positive number");
  }

  private boolean flag(Optional<Text> text, Contexts contexts) {
    if (text.isEmpty()) {
      return false;
    }
    return Template.parse(text.get().value()).evaluate(contexts).isTruthy()
        && !text.get().value().strip().equals("false");
  }
}
