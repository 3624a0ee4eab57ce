package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Condition;
import dev.tagflow.pipeline.expression.Contexts;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Value;
import dev.tagflow.pipeline.workflow.Job;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What the steps of one job instance change and share: the env and {@code PATH} entries their files
 * add, the summary, the process trees to kill at the end, and the post steps to run at the end
 * ({@link PostStep}), for the job's own steps and those of the actions it uses alike.
 */
final class JobState {

  final RunScope scope;
  final Job job;
  final String key;
  final Path workspace;
  final Path temp;
  final Cancellation cancellation;
  final Map<String, String> env = new LinkedHashMap<>();
  final List<String> paths = new ArrayList<>();
  final List<ProcessTree> trees = new ArrayList<>();
  final StringBuilder summary = new StringBuilder();

  /** The job's timeout, which post steps too are held to. */
  volatile Optional<Instant> deadline = Optional.empty();

  private final List<PostStep> posts = new ArrayList<>();
  private final AtomicInteger files = new AtomicInteger();

  JobState(
      RunScope scope, Job job, String key, Path workspace, Path temp, Cancellation cancellation) {
    this.scope = scope;
    this.job = job;
    this.key = key;
    this.workspace = workspace;
    this.temp = temp;
    this.cancellation = cancellation;
  }

  /** A number no other process of the job has, for its command files. */
  int nextFile() {
    return files.incrementAndGet();
  }

  /** Runs at the job's end, after the post steps registered before it (reverse order). */
  synchronized void post(PostStep step) {
    posts.add(step);
  }

  /** The post steps, the last registered first, as GitHub runs them. */
  synchronized List<PostStep> posts() {
    return List.copyOf(posts).reversed();
  }

  /**
   * Runs the post steps, the last registered first, each when its condition holds for the job's
   * status so far (a failing post step makes it failure for those after it).
   *
   * @return why the first failing post step failed; empty when none did
   */
  String runPosts(Contexts.Status status, Function<Contexts.Status, Contexts> contexts) {
    String failed = "";
    for (PostStep post : posts()) {
      try {
        Contexts end = contexts.apply(status);
        if (!Condition.parse(post.condition()).test(end)) {
          log(post.index(), "skipped: " + post.name());
          continue;
        }
        log(post.index(), "▶ " + post.name());
        ProcessStep.Outcome outcome = post.work().run(end);
        if (outcome.outcome() != Conclusion.SUCCESS) {
          log(post.index(), post.name() + " failed: " + outcome.message());
          failed = failed.isEmpty() ? post.name() + " failed: " + outcome.message() : failed;
          status = status == Contexts.Status.SUCCESS ? Contexts.Status.FAILURE : status;
        }
      } catch (StepFailure | ExpressionException e) {
        log(post.index(), "failed: " + post.name() + ": " + e.getMessage());
        failed = failed.isEmpty() ? post.name() + " failed: " + e.getMessage() : failed;
        status = status == Contexts.Status.SUCCESS ? Contexts.Status.FAILURE : status;
      }
    }
    return failed;
  }

  /** Kills what the job's processes left running. */
  void killAll() {
    List<ProcessTree> all;
    synchronized (trees) {
      all = List.copyOf(trees);
    }
    for (ProcessTree tree : all) {
      tree.kill(StepProcess.KILL_PATIENCE);
    }
  }

  /** A step in the {@code steps} context. */
  static Value stepValue(Map<String, String> outputs, Conclusion outcome, Conclusion conclusion) {
    return Value.object(
        Map.of(
            "outputs", RunScope.strings(outputs),
            "outcome", Value.of(outcome.word()),
            "conclusion", Value.of(conclusion.word())));
  }

  void log(int step, String text) {
    scope.log().runner(key, step, text);
  }

  Map<String, String> masked(Map<String, String> outputs) {
    Map<String, String> masked = new LinkedHashMap<>();
    outputs.forEach((name, value) -> masked.put(name, scope.log().mask().apply(value)));
    return masked;
  }

  /** GitHub's default variables for a step ({@code action}: {@code GITHUB_ACTION}). */
  Map<String, String> variables(String action) {
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
    vars.put("GITHUB_ACTION", action);
    vars.put("GITHUB_ACTOR", "tagflow");
    vars.put("GITHUB_WORKSPACE", workspace.toString());
    vars.put("RUNNER_TEMP", temp.toString());
    vars.put("RUNNER_OS", "Linux");
    vars.put("RUNNER_ARCH", arch());
    vars.put("RUNNER_NAME", "tagflow");
    vars.put("RUNNER_ENVIRONMENT", "self-hosted");
    return vars;
  }

  static String arch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "X64";
      case "aarch64", "arm64" -> "ARM64";
      default -> arch.toUpperCase(java.util.Locale.ROOT);
    };
  }
}
