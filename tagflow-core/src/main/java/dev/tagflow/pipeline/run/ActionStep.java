package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Condition;
import dev.tagflow.pipeline.expression.Contexts;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Template;
import dev.tagflow.pipeline.expression.Value;
import dev.tagflow.pipeline.workflow.ActionDefinition;
import dev.tagflow.pipeline.workflow.ActionRef;
import dev.tagflow.pipeline.workflow.Step;
import dev.tagflow.pipeline.workflow.StepAction;
import dev.tagflow.pipeline.workflow.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A step that uses a composite or JavaScript action, as GitHub runs them: inputs from {@code with:}
 * and the defaults, a composite action's steps with its own {@code steps} and {@code inputs}
 * contexts and its outputs mapped from them, a JavaScript action's {@code main} with the host's
 * Node ({@code INPUT_*}, {@code $GITHUB_STATE}), its {@code pre} before it and its {@code post}
 * left to the job's end. {@code $GITHUB_ACTION_PATH} and {@code github.action_path} name the
 * action's directory.
 */
final class ActionStep {

  /**
   * The job's built-in actions ({@code actions/checkout}, {@code tagflow/image}, …), for a
   * composite action's step that uses one: the step carries the index of the job's step.
   */
  @FunctionalInterface
  interface BuiltIns {
    ProcessStep.Outcome run(
        Step step,
        StepAction.Uses uses,
        Map<String, String> stepEnv,
        Contexts contexts,
        Optional<Instant> deadline);
  }

  /** The contexts of the job at a status; the action puts its own steps, inputs and env in. */
  @FunctionalInterface
  interface ContextsBase {
    Contexts.Builder at(Contexts.Status status);
  }

  private final JobState job;
  private final JobActions actions;
  private final ContextsBase base;
  private final BuiltIns builtIns;
  private final NodeRuntime node;
  // What each step's pre wrote to $GITHUB_STATE, for its main and post.
  private final Map<Integer, Map<String, String>> preState = new LinkedHashMap<>();

  ActionStep(JobState job, JobActions actions, ContextsBase base, BuiltIns builtIns) {
    this.job = job;
    this.actions = actions;
    this.base = base;
    this.builtIns = builtIns;
    this.node = new NodeRuntime();
  }

  /**
   * Runs a JavaScript action's {@code pre} at the job's start (GitHub does, for the remote actions
   * of the job's own steps), when its {@code pre-if} holds.
   */
  void pre(Step step, StepAction.Uses uses, Contexts contexts, Map<String, String> stepEnv) {
    if (!(uses.action() instanceof ActionRef.Remote r)) {
      return;
    }
    JobActions.Loaded action = actions.remote(r);
    if (!(action.definition().runs() instanceof ActionDefinition.Node n) || n.pre().isEmpty()) {
      return;
    }
    if (!holds(n.preIf(), contexts, step.index())) {
      job.log(step.index(), "pre skipped: pre-if " + n.preIf().value() + " was false");
      return;
    }
    job.log(step.index(), "▶ Pre " + step.displayName());
    Map<String, String> with =
        JobContexts.render(uses.with(), contexts, job.scope.workflow().file());
    Map<String, String> inputs = inputs(action, with, contexts, step.index());
    ProcessStep.Outcome outcome =
        script(
            action,
            n,
            n.pre().get(),
            step.index(),
            id(step),
            stepEnv,
            inputs,
            Map.of(),
            job.deadline);
    preState.put(step.index(), outcome.state());
    if (outcome.outcome() != Conclusion.SUCCESS) {
      throw new StepFailure("pre of " + action.uses() + " failed: " + outcome.message());
    }
  }

  /**
   * Runs the action of a step of the job.
   *
   * @param with the step's {@code with:}, rendered
   */
  ProcessStep.Outcome run(
      Step step,
      ActionRef ref,
      Map<String, String> with,
      Map<String, String> stepEnv,
      Contexts contexts,
      Optional<Instant> deadline) {
    return run(
        step.index(), step.displayName(), id(step), ref, with, stepEnv, contexts, deadline, 1);
  }

  private ProcessStep.Outcome run(
      int index,
      String name,
      String id,
      ActionRef ref,
      Map<String, String> with,
      Map<String, String> stepEnv,
      Contexts contexts,
      Optional<Instant> deadline,
      int depth) {
    if (depth > JobActions.MAX_DEPTH) {
      return ProcessStep.Outcome.failed(
          ref.uses()
              + " is nested more than "
              + JobActions.MAX_DEPTH
              + " composite actions deep (GitHub's limit too)");
    }
    JobActions.Loaded action =
        switch (ref) {
          case ActionRef.Remote r -> actions.remote(r);
          case ActionRef.Local l -> actions.local(l, job.workspace);
          case ActionRef.BuiltIn b ->
              throw new StepFailure(
                  "the built-in " + b.action().action() + " cannot be used inside an action yet");
        };
    Map<String, String> inputs = inputs(action, with, contexts, index);
    return switch (action.definition().runs()) {
      case ActionDefinition.Composite c ->
          composite(action, c, index, inputs, stepEnv, deadline, depth);
      case ActionDefinition.Node n -> {
        Map<String, String> state = preState.getOrDefault(index, Map.of());
        ProcessStep.Outcome main =
            script(action, n, n.main(), index, id, stepEnv, inputs, state, deadline);
        n.post()
            .ifPresent(
                post -> {
                  Map<String, String> all = new LinkedHashMap<>(state);
                  all.putAll(main.state());
                  job.post(
                      new PostStep(
                          index,
                          "Post " + name,
                          n.postIf().value(),
                          end ->
                              script(
                                  action, n, post, index, id, stepEnv, inputs, all, job.deadline)));
                });
        yield main;
      }
    };
  }

  /** The inputs: {@code with:} and the defaults; a required one with neither fails the step. */
  private Map<String, String> inputs(
      JobActions.Loaded action, Map<String, String> with, Contexts contexts, int index) {
    ActionDefinition definition = action.definition();
    Map<String, String> inputs = new LinkedHashMap<>();
    for (ActionDefinition.Input input : definition.inputs().values()) {
      String given = with.get(input.id());
      if (given != null) {
        inputs.put(input.id(), given);
        input
            .deprecation()
            .ifPresent(
                d ->
                    job.log(
                        index, "warning: input '" + input.id() + "' is deprecated: " + d.value()));
      } else if (input.defaultValue().isPresent()) {
        inputs.put(
            input.id(),
            JobContexts.render(
                    Map.of(input.id(), input.defaultValue().get()), contexts, definition.file())
                .get(input.id()));
      } else if (input.required()) {
        throw new StepFailure(
            "the action "
                + action.uses()
                + " needs the input '"
                + input.id()
                + "' (required, no default); give it in with:");
      } else {
        inputs.put(input.id(), "");
      }
    }
    List<String> unexpected =
        with.keySet().stream().filter(k -> !definition.inputs().containsKey(k)).toList();
    if (!unexpected.isEmpty()) {
      // GitHub warns and passes them on; so do we.
      job.log(
          index,
          "warning: unexpected input(s) "
              + unexpected
              + ", valid inputs are "
              + definition.inputs().keySet());
      unexpected.forEach(k -> inputs.put(k, with.get(k)));
    }
    return inputs;
  }

  private ProcessStep.Outcome composite(
      JobActions.Loaded action,
      ActionDefinition.Composite composite,
      int index,
      Map<String, String> inputs,
      Map<String, String> callerEnv,
      Optional<Instant> deadline,
      int depth) {
    Map<String, String> jobEnvAtStart = new LinkedHashMap<>(job.env);
    Map<String, Value> steps = new LinkedHashMap<>();
    Contexts.Status status = Contexts.Status.SUCCESS;
    String message = "";
    String file = action.definition().file();
    for (Step step : composite.steps()) {
      if (job.cancellation.cancelled()) {
        status = Contexts.Status.CANCELLED;
      }
      Map<String, String> env = new LinkedHashMap<>(callerEnv);
      job.env.forEach(
          (k, v) -> {
            if (!v.equals(jobEnvAtStart.get(k))) {
              env.put(k, v); // written to $GITHUB_ENV by a step of this action
            }
          });
      Contexts before = contexts(status, steps, inputs, env, action);
      Conclusion outcome;
      Map<String, String> outputs = Map.of();
      boolean continueOnError = false;
      String label = action.uses() + " › " + step.displayName();
      try {
        Condition condition = Condition.parse(step.condition().map(Text::value).orElse(""));
        if (!condition.test(before)) {
          job.log(index, "skipped: " + label);
          steps.put(
              step.id().orElse("__" + step.index()),
              JobState.stepValue(Map.of(), Conclusion.SKIPPED, Conclusion.SKIPPED));
          continue;
        }
        continueOnError =
            step.continueOnError().isPresent()
                && Template.parse(step.continueOnError().get().value()).evaluate(before).isTruthy()
                && !step.continueOnError().get().value().strip().equals("false");
        env.putAll(JobContexts.render(step.env(), before, file));
        Contexts contexts = contexts(status, steps, inputs, env, action);
        job.log(index, "▶ " + label);
        ProcessStep.Outcome result =
            switch (step.action()) {
              case StepAction.Run run ->
                  ProcessStep.script(
                      job,
                      index,
                      step.id().orElse("__run_" + step.index()),
                      Template.parse(run.script().value()).render(contexts),
                      run.shell()
                          .map(t -> Template.parse(t.value()).render(contexts).strip())
                          .orElse(""),
                      run.workingDirectory()
                          .map(t -> Template.parse(t.value()).render(contexts))
                          .orElse(""),
                      env,
                      Map.of("GITHUB_ACTION_PATH", action.directory().toString()),
                      deadline);
              case StepAction.Uses uses when uses.action() instanceof ActionRef.BuiltIn ->
                  builtIns.run(
                      new Step(
                          index,
                          step.at(),
                          step.id(),
                          Optional.of(new Text(label, step.at())),
                          uses,
                          step.env(),
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty()),
                      uses,
                      env,
                      contexts,
                      deadline);
              case StepAction.Uses uses ->
                  run(
                      index,
                      label,
                      step.id().orElse("__" + step.index()),
                      uses.action(),
                      JobContexts.render(uses.with(), contexts, file),
                      env,
                      contexts,
                      deadline,
                      depth + 1);
            };
        outcome = result.outcome();
        outputs = result.outputs();
        if (outcome != Conclusion.SUCCESS && !result.message().isEmpty()) {
          message = label + ": " + result.message();
        }
      } catch (StepFailure | ExpressionException e) {
        job.log(index, "failed: " + label + ": " + e.getMessage());
        outcome = Conclusion.FAILURE;
        message = label + ": " + e.getMessage();
      }
      Conclusion conclusion =
          outcome == Conclusion.FAILURE && continueOnError ? Conclusion.SUCCESS : outcome;
      steps.put(
          step.id().orElse("__" + step.index()), JobState.stepValue(outputs, outcome, conclusion));
      if (conclusion == Conclusion.FAILURE && status == Contexts.Status.SUCCESS) {
        status = Contexts.Status.FAILURE;
      }
      if (conclusion == Conclusion.CANCELLED) {
        status = Contexts.Status.CANCELLED;
      }
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    Contexts end = contexts(status, steps, inputs, callerEnv, action);
    for (Map.Entry<String, Text> output : action.definition().outputs().entrySet()) {
      try {
        outputs.put(output.getKey(), Template.parse(output.getValue().value()).render(end));
      } catch (ExpressionException e) {
        status = status == Contexts.Status.SUCCESS ? Contexts.Status.FAILURE : status;
        message =
            "output '"
                + output.getKey()
                + "' at "
                + file
                + ":"
                + output.getValue().at()
                + ": "
                + e.getMessage();
      }
    }
    Conclusion conclusion =
        switch (status) {
          case SUCCESS -> Conclusion.SUCCESS;
          case FAILURE -> Conclusion.FAILURE;
          case CANCELLED -> Conclusion.CANCELLED;
        };
    return new ProcessStep.Outcome(conclusion, message, outputs, Map.of(), Optional.empty());
  }

  private Contexts contexts(
      Contexts.Status status,
      Map<String, Value> steps,
      Map<String, String> inputs,
      Map<String, String> env,
      JobActions.Loaded action) {
    Contexts.Builder b = base.at(status);
    Contexts plain = b.build();
    Map<String, Value> github = new LinkedHashMap<>();
    if (plain.get("github") instanceof Value.ObjectValue o) {
      github.putAll(o.properties());
    }
    github.put("action_path", Value.of(action.directory().toString()));
    github.put("action", Value.of(action.uses()));
    return b.put("github", Value.object(github))
        .put("steps", Value.object(steps))
        .put("inputs", RunScope.strings(inputs))
        .put("env", RunScope.strings(env))
        .build();
  }

  /**
   * A JavaScript action's script ({@code main}, {@code pre} or {@code post}) with the host's Node.
   */
  private ProcessStep.Outcome script(
      JobActions.Loaded action,
      ActionDefinition.Node definition,
      Text script,
      int index,
      String id,
      Map<String, String> stepEnv,
      Map<String, String> inputs,
      Map<String, String> state,
      Optional<Instant> deadline) {
    Path file = action.directory().resolve(script.value()).normalize();
    try {
      if (!file.startsWith(action.directory())
          || !file.toRealPath().startsWith(action.directory().toRealPath())) {
        return ProcessStep.Outcome.failed(
            script.value() + " leads out of the action " + action.uses());
      }
    } catch (IOException e) {
      return ProcessStep.Outcome.failed(
          "the action "
              + action.uses()
              + " has no file "
              + script.value()
              + " ("
              + action.definition().file()
              + ":"
              + script.at()
              + ")");
    }
    if (!Files.isRegularFile(file)) {
      return ProcessStep.Outcome.failed(
          "the action " + action.uses() + ": " + script.value() + " is not a file");
    }
    Path program = node.check(definition, action.uses(), job.scope.host().get("PATH"), job.paths);
    Map<String, String> extra = new LinkedHashMap<>();
    inputs.forEach(
        (name, value) ->
            extra.put("INPUT_" + name.replace(' ', '_').toUpperCase(Locale.ROOT), value));
    state.forEach((name, value) -> extra.put("STATE_" + name, value));
    extra.put("GITHUB_ACTION_PATH", action.directory().toString());
    extra.put("GITHUB_ACTION_REPOSITORY", repository(action.uses()));
    return ProcessStep.run(
        job,
        index,
        id,
        List.of(program.toString(), file.toString()),
        job.workspace,
        stepEnv,
        extra,
        deadline);
  }

  private static String repository(String uses) {
    if (uses.startsWith("./")) {
      return "";
    }
    String name = uses.contains("@") ? uses.substring(0, uses.indexOf('@')) : uses;
    String[] parts = name.split("/");
    return parts.length >= 2 ? parts[0] + "/" + parts[1] : name;
  }

  private boolean holds(Text condition, Contexts contexts, int index) {
    try {
      return Condition.parse(condition.value()).test(contexts);
    } catch (ExpressionException e) {
      throw new StepFailure("pre-if/post-if at " + condition.at() + ": " + e.getMessage());
    }
  }

  private static String id(Step step) {
    return step.id().orElse("__" + step.index());
  }
}
