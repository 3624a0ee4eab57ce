package dev.tagflow.pipeline.workflow;

import java.util.HashSet;
import java.util.Set;

/**
 * The workflow keys that may hold expressions, with the contexts and special functions each may
 * use: GitHub's "Context availability" table, for the keys Tagflow supports. An expression using a
 * context its key does not offer ({@code secrets} in a job's {@code if}) is a mistake GitHub
 * reports when the run starts; Tagflow can report it at load.
 */
public enum ExpressionKey {
  RUN_NAME("run-name", false, Set.of("github", "inputs", "vars"), Set.of()),
  WORKFLOW_ENV("env", false, Set.of("github", "secrets", "inputs", "vars"), Set.of()),
  JOB_NAME("jobs.<job_id>.name", false, jobContexts(), Set.of()),
  JOB_IF(
      "jobs.<job_id>.if",
      true,
      Set.of("github", "needs", "vars", "inputs"),
      Set.of("always", "cancelled", "success", "failure")),
  JOB_RUNS_ON("jobs.<job_id>.runs-on", false, jobContexts(), Set.of()),
  JOB_ENV(
      "jobs.<job_id>.env",
      false,
      Set.of("github", "needs", "strategy", "matrix", "vars", "secrets", "inputs"),
      Set.of()),
  JOB_OUTPUTS("jobs.<job_id>.outputs.<output_id>", false, stepContexts(true), Set.of()),
  JOB_TIMEOUT_MINUTES("jobs.<job_id>.timeout-minutes", false, jobContexts(), Set.of()),
  JOB_CONTINUE_ON_ERROR("jobs.<job_id>.continue-on-error", false, jobContexts(), Set.of()),
  JOB_STRATEGY(
      "jobs.<job_id>.strategy", false, Set.of("github", "needs", "vars", "inputs"), Set.of()),
  JOB_DEFAULTS_RUN(
      "jobs.<job_id>.defaults.run",
      false,
      Set.of("github", "needs", "strategy", "matrix", "env", "vars", "inputs"),
      Set.of()),
  STEP_NAME("jobs.<job_id>.steps.name", false, stepContexts(true), Set.of("hashFiles")),
  STEP_IF(
      "jobs.<job_id>.steps.if",
      true,
      stepContexts(false),
      Set.of("always", "cancelled", "success", "failure", "hashFiles")),
  STEP_RUN("jobs.<job_id>.steps.run", false, stepContexts(true), Set.of("hashFiles")),
  STEP_ENV("jobs.<job_id>.steps.env", false, stepContexts(true), Set.of("hashFiles")),
  STEP_WITH("jobs.<job_id>.steps.with", false, stepContexts(true), Set.of("hashFiles")),
  STEP_WORKING_DIRECTORY(
      "jobs.<job_id>.steps.working-directory", false, stepContexts(true), Set.of("hashFiles")),
  STEP_TIMEOUT_MINUTES(
      "jobs.<job_id>.steps.timeout-minutes", false, stepContexts(true), Set.of("hashFiles")),
  STEP_CONTINUE_ON_ERROR(
      "jobs.<job_id>.steps.continue-on-error", false, stepContexts(true), Set.of("hashFiles"));

  private final String key;
  private final boolean condition;
  private final Set<String> contexts;
  private final Set<String> functions;

  ExpressionKey(String key, boolean condition, Set<String> contexts, Set<String> functions) {
    this.key = key;
    this.condition = condition;
    this.contexts = contexts;
    this.functions = functions;
  }

  /** The key as GitHub's table names it: {@code jobs.<job_id>.steps.run}. */
  public String key() {
    return key;
  }

  /**
   * Whether the whole value is an expression even without {@code ${{ }}}: {@code if:} conditions.
   */
  public boolean condition() {
    return condition;
  }

  /** The contexts an expression here may reference. */
  public Set<String> contexts() {
    return contexts;
  }

  /** The special functions allowed here beyond the ones allowed everywhere. */
  public Set<String> functions() {
    return functions;
  }

  private static Set<String> jobContexts() {
    return Set.of("github", "needs", "strategy", "matrix", "vars", "inputs");
  }

  private static Set<String> stepContexts(boolean secrets) {
    Set<String> all =
        Set.of(
            "github",
            "needs",
            "strategy",
            "matrix",
            "job",
            "runner",
            "env",
            "vars",
            "steps",
            "inputs");
    if (!secrets) {
      return all;
    }
    Set<String> with = new HashSet<>(all);
    with.add("secrets");
    return Set.copyOf(with);
  }
}
