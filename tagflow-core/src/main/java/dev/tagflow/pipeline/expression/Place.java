package dev.tagflow.pipeline.expression;

import java.util.Set;

/**
 * Where in a workflow an expression is, and so which contexts and which special functions it may
 * use: GitHub's "context availability" table, for the keys Tagflow runs. A job's {@code if:} cannot
 * read {@code steps} (no step has run yet), only a step's keys may hash files, only an {@code if:}
 * may ask for the job's status; GitHub refuses the workflow otherwise, and so does Tagflow, with
 * the column of the offending name.
 */
public enum Place {
  /** Top-level {@code run-name}. */
  RUN_NAME("run-name", Set.of("github", "inputs", "vars"), Set.of()),
  /** Top-level {@code env}. */
  WORKFLOW_ENV("env", Set.of("github", "inputs", "secrets", "vars"), Set.of()),
  /** {@code jobs.<job_id>.if}. */
  JOB_IF(
      "jobs.<job_id>.if",
      Set.of("github", "inputs", "needs", "vars"),
      Set.of(Builtin.SUCCESS, Builtin.FAILURE, Builtin.ALWAYS, Builtin.CANCELLED)),
  /** {@code jobs.<job_id>.strategy} (its matrix, fail-fast, max-parallel). */
  JOB_STRATEGY("jobs.<job_id>.strategy", Set.of("github", "inputs", "needs", "vars"), Set.of()),
  /** {@code jobs.<job_id>.env}. */
  JOB_ENV(
      "jobs.<job_id>.env",
      Set.of("github", "inputs", "matrix", "needs", "secrets", "strategy", "vars"),
      Set.of()),
  /**
   * {@code jobs.<job_id>.name}, {@code runs-on}, {@code timeout-minutes}, {@code
   * continue-on-error}, {@code concurrency}, {@code environment}.
   */
  JOB_SETTING(
      "jobs.<job_id>.timeout-minutes",
      Set.of("github", "inputs", "matrix", "needs", "strategy", "vars"),
      Set.of()),
  /** {@code jobs.<job_id>.defaults.run}. */
  JOB_DEFAULTS_RUN(
      "jobs.<job_id>.defaults.run",
      Set.of("env", "github", "inputs", "matrix", "needs", "strategy", "vars"),
      Set.of()),
  /** {@code jobs.<job_id>.outputs.<output_id>}. */
  JOB_OUTPUTS(
      "jobs.<job_id>.outputs.<output_id>",
      Set.of(
          "env",
          "github",
          "inputs",
          "job",
          "matrix",
          "needs",
          "runner",
          "secrets",
          "steps",
          "strategy",
          "vars"),
      Set.of()),
  /** {@code jobs.<job_id>.steps.if}. */
  STEP_IF(
      "jobs.<job_id>.steps.if",
      Set.of(
          "env",
          "github",
          "inputs",
          "job",
          "matrix",
          "needs",
          "runner",
          "steps",
          "strategy",
          "vars"),
      Set.of(
          Builtin.SUCCESS, Builtin.FAILURE, Builtin.ALWAYS, Builtin.CANCELLED, Builtin.HASH_FILES)),
  /**
   * A step's {@code run}, {@code with}, {@code env}, {@code name}, {@code working-directory},
   * {@code timeout-minutes} and {@code continue-on-error}.
   */
  STEP_SETTING(
      "jobs.<job_id>.steps.run",
      Set.of(
          "env",
          "github",
          "inputs",
          "job",
          "matrix",
          "needs",
          "runner",
          "secrets",
          "steps",
          "strategy",
          "vars"),
      Set.of(Builtin.HASH_FILES));

  private final String key;
  private final Set<String> contexts;
  private final Set<Builtin> specialFunctions;

  Place(String key, Set<String> contexts, Set<Builtin> specialFunctions) {
    this.key = key;
    this.contexts = contexts;
    this.specialFunctions = specialFunctions;
  }

  /** The workflow key as GitHub's table names it, for messages. */
  public String key() {
    return key;
  }

  /** The contexts an expression here may read. */
  public Set<String> contexts() {
    return contexts;
  }

  /**
   * Refuses an expression that reads a context or calls a special function not available here.
   *
   * @throws ExpressionException naming the context or function, the place, and the column
   */
  public void check(Expression expression) {
    expression.checkAvailable(this, 0);
  }

  /** As {@link #check(Expression)}, the column counted in the whole template. */
  public void check(Template template) {
    template.checkAvailable(this);
  }

  /** As {@link #check(Expression)}, the column counted in the whole {@code if:} value. */
  public void check(Condition condition) {
    condition.checkAvailable(this);
  }

  boolean allows(Builtin function) {
    return !(function.isStatus() || function == Builtin.HASH_FILES)
        || specialFunctions.contains(function);
  }

  String refusal(String context) {
    return "the context '"
        + context
        + "' is not available in "
        + key
        + "; it can read "
        + String.join(", ", new java.util.TreeSet<>(contexts));
  }

  String refusal(Builtin function) {
    return function.spelling
        + "() is not available in "
        + key
        + (function == Builtin.HASH_FILES
            ? "; hashFiles works in a step's run, with, env, if, name, working-directory,"
                + " timeout-minutes and continue-on-error"
            : "; the status functions work in a job's or a step's if");
  }
}
