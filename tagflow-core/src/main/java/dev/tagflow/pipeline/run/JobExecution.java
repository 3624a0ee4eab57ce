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
  private final Cancellation cancellation;
  private final Path directory;
  private final Path workspace;
  private final Path temp;
  private final Map<String, String> env;
  private final Map<String, Value> steps = new LinkedHashMap<>();
  private final JobContexts expressions;
  private final JobState state;
  private final JobActions actions;
  private final ActionStep actionSteps;
  // Outputs as the steps wrote them, for later steps; results carry them masked.
  private final Map<Integer, Map<String, String>> rawOutputs = new LinkedHashMap<>();

  // What built-in steps left for the job's end (the cache's save), run in reverse order.

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
    this.cancellation = cancellation;
    this.directory = scope.directory().resolve("jobs").resolve(job.id() + "-" + instance);
    this.workspace = directory.resolve("workspace");
    this.temp = directory.resolve("temp");
    this.state = new JobState(scope, job, key, workspace, temp, cancellation);
    this.env = state.env;
    this.expressions =
        new JobContexts(scope, job, workspace, temp, matrix, needs, strategy, env, steps);
    this.actions = new JobActions(scope.actions());
    this.actionSteps =
        new ActionStep(
            state,
            actions,
            status -> expressions.builder(status, true),
            (step, uses, stepEnv, contexts, deadline) -> {
              // A composite action's step using a built-in: run as the job's step it is part of.
              StepResult r =
                  usesStep(step, uses, stepEnv, contexts, deadline, Instant.now(), false);
              return new ProcessStep.Outcome(
                  r.outcome(), r.message(), rawOutputs(r), Map.of(), r.exitCode());
            });
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
      env.putAll(expressions.render(scope.workflow().env(), expressions.contexts(status, false)));
      env.putAll(expressions.render(job.env(), expressions.contexts(status, false)));
      double minutes = expressions.minutes(job.timeoutMinutes(), DEFAULT_TIMEOUT_MINUTES);
      deadline = Optional.of(started.plusMillis((long) (minutes * 60_000)));
      state.deadline = deadline;
      actions.prepare(job.steps(), state);
      pre(status);
    } catch (StepFailure e) {
      scope.log().runner(key, -1, "the job cannot start: " + e.getMessage());
      state.killAll();
      return finish(started, Conclusion.FAILURE, results, Map.of(), e.getMessage());
    }
    boolean timedOut = false;
    for (Step step : job.steps()) {
      if (cancellation.cancelled()) {
        status = Contexts.Status.CANCELLED;
      }
      if (timedOut) {
        results.add(StepResult.skipped(step, "the job timed out"));
        continue;
      }
      StepResult result = step(step, status, deadline);
      results.add(result);
      Map<String, String> rawOutputs = rawOutputs(result);
      step.id()
          .ifPresent(
              id ->
                  steps.put(
                      id, JobState.stepValue(rawOutputs, result.outcome(), result.conclusion())));
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
    String failedPost = state.runPosts(status, at -> expressions.contexts(at, true));
    if (!failedPost.isEmpty() && status == Contexts.Status.SUCCESS) {
      status = Contexts.Status.FAILURE;
      message = failedPost;
    }
    state.killAll();
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
    Contexts end = expressions.contexts(status, true);
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
            state.summary.toString(),
            message);
    LOG.info(
        "run {} of {}: job {} {}",
        scope.request().runId(),
        scope.request().repository(),
        key,
        conclusion.word());
    return result;
  }

  private StepResult step(Step step, Contexts.Status status, Optional<Instant> jobDeadline) {
    Instant started = Instant.now();
    int index = step.index();
    Contexts before = expressions.contexts(status, true);
    try {
      Condition condition = Condition.parse(step.condition().map(Text::value).orElse(""));
      if (!condition.test(before)) {
        scope.log().runner(key, index, "skipped: " + step.displayName());
        return StepResult.skipped(step, "if: " + condition.text() + " was false");
      }
    } catch (ExpressionException e) {
      return failed(step, started, "if: " + e.getMessage(), Optional.empty(), false);
    }
    scope.log().runner(key, index, "▶ " + step.displayName());
    boolean continueOnError = false;
    try {
      continueOnError = JobContexts.flag(step.continueOnError(), before);
      Map<String, String> stepEnv = new LinkedHashMap<>(env);
      stepEnv.putAll(expressions.render(step.env(), expressions.withEnv(status, stepEnv)));
      Contexts contexts = expressions.withEnv(status, stepEnv);
      Optional<Instant> deadline = jobDeadline;
      if (step.timeoutMinutes().isPresent()) {
        Instant own =
            started.plusMillis((long) (expressions.minutes(step.timeoutMinutes(), 0) * 60_000));
        deadline = Optional.of(deadline.filter(d -> d.isBefore(own)).orElse(own));
      }
      return switch (step.action()) {
        case StepAction.Run run ->
            runStep(step, run, stepEnv, contexts, deadline, started, continueOnError);
        case StepAction.Uses uses ->
            usesStep(step, uses, stepEnv, contexts, deadline, started, continueOnError);
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
      Map<String, String> stepEnv,
      Contexts contexts,
      Optional<Instant> deadline,
      Instant started,
      boolean continueOnError) {
    if (uses.action() instanceof ActionRef.BuiltIn builtIn) {
      Map<String, String> with = expressions.render(uses.with(), contexts);
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
            case SETUP_JAVA ->
                Optional.of(SetupJava.run(builtIn(step, with, contexts), uses(uses)));
            case CACHE ->
                Optional.of(
                    CacheStep.run(builtIn(step, with, contexts), CacheStep.Mode.CACHE, uses(uses)));
            case CACHE_RESTORE ->
                Optional.of(
                    CacheStep.run(
                        builtIn(step, with, contexts), CacheStep.Mode.RESTORE, uses(uses)));
            case CACHE_SAVE ->
                Optional.of(
                    CacheStep.run(builtIn(step, with, contexts), CacheStep.Mode.SAVE, uses(uses)));
            case UPLOAD_ARTIFACT -> Optional.of(UploadArtifact.run(builtIn(step, with, contexts)));
            case DOWNLOAD_ARTIFACT ->
                Optional.of(DownloadArtifact.run(builtIn(step, with, contexts)));
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
            state.masked(outputs.get()),
            Optional.empty(),
            "");
      }
    }
    Map<String, String> with = expressions.render(uses.with(), contexts);
    ProcessStep.Outcome outcome =
        actionSteps.run(step, uses.action(), with, stepEnv, contexts, deadline);
    return result(step, outcome, started, continueOnError);
  }

  /** Runs the {@code pre} of the JavaScript actions of the job's steps, in their order. */
  private void pre(Contexts.Status status) {
    for (Step step : job.steps()) {
      if (step.action() instanceof StepAction.Uses uses) {
        Map<String, String> stepEnv = new LinkedHashMap<>(env);
        stepEnv.putAll(expressions.render(step.env(), expressions.withEnv(status, stepEnv)));
        actionSteps.pre(step, uses, expressions.withEnv(status, stepEnv), stepEnv);
      }
    }
  }

  private BuiltInStep builtIn(Step step, Map<String, String> with, Contexts contexts) {
    return new BuiltInStep(
        scope, key, step.index(), with, workspace, temp, env, state.paths, contexts, state::post);
  }

  private static String uses(StepAction.Uses uses) {
    return uses.action().uses();
  }

  private StepResult runStep(
      Step step,
      StepAction.Run run,
      Map<String, String> stepEnv,
      Contexts contexts,
      Optional<Instant> deadline,
      Instant started,
      boolean continueOnError) {
    String script = Template.parse(run.script().value()).render(contexts);
    Optional<Text> shellText =
        run.shell().or(job.defaults()::shell).or(scope.workflow().defaults()::shell);
    String shell =
        shellText.map(t -> Template.parse(t.value()).render(contexts).strip()).orElse("");
    Optional<Text> dirText =
        run.workingDirectory()
            .or(job.defaults()::workingDirectory)
            .or(scope.workflow().defaults()::workingDirectory);
    String directory = dirText.map(t -> Template.parse(t.value()).render(contexts)).orElse("");
    ProcessStep.Outcome outcome =
        ProcessStep.script(
            state,
            step.index(),
            step.id().orElse("__run_" + step.index()),
            script,
            shell,
            directory,
            stepEnv,
            Map.of(),
            deadline);
    return result(step, outcome, started, continueOnError);
  }

  private StepResult result(
      Step step, ProcessStep.Outcome outcome, Instant started, boolean continueOnError) {
    rawOutputs.put(step.index(), outcome.outputs());
    Conclusion conclusion =
        outcome.outcome() == Conclusion.FAILURE && continueOnError
            ? Conclusion.SUCCESS
            : outcome.outcome();
    return new StepResult(
        step.index(),
        step.id(),
        step.displayName(),
        outcome.outcome(),
        conclusion,
        started,
        Instant.now(),
        state.masked(outcome.outputs()),
        outcome.exitCode(),
        scope.log().mask().apply(outcome.message()));
  }

  private Map<String, String> rawOutputs(StepResult result) {
    return rawOutputs.getOrDefault(result.index(), result.outputs());
  }
}
