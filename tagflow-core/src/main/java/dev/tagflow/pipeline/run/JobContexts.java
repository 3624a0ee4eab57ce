package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Contexts;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Template;
import dev.tagflow.pipeline.expression.Value;
import dev.tagflow.pipeline.workflow.Job;
import dev.tagflow.pipeline.workflow.Text;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The expression contexts of one job instance's steps ({@code github}, {@code env}, {@code matrix},
 * {@code needs}, {@code steps}, {@code job}, {@code runner}, …) and the job's texts rendered with
 * them, a bad one named with its file and line.
 */
final class JobContexts {

  private final RunScope scope;
  private final Job job;
  private final Path workspace;
  private final Path temp;
  private final Map<String, Object> matrix;
  private final Value needs;
  private final Value strategy;
  private final Map<String, String> env;
  private final Map<String, Value> steps;

  /**
   * @param env the job's environment, as the job fills it
   * @param steps the {@code steps} context, as the job's steps end
   */
  JobContexts(
      RunScope scope,
      Job job,
      Path workspace,
      Path temp,
      Map<String, Object> matrix,
      Value needs,
      Value strategy,
      Map<String, String> env,
      Map<String, Value> steps) {
    this.scope = scope;
    this.job = job;
    this.workspace = workspace;
    this.temp = temp;
    this.matrix = matrix;
    this.needs = needs;
    this.strategy = strategy;
    this.env = env;
    this.steps = steps;
  }

  Contexts withEnv(Contexts.Status status, Map<String, String> stepEnv) {
    return builder(status, true).put("env", RunScope.strings(stepEnv)).build();
  }

  Contexts contexts(Contexts.Status status, boolean inJob) {
    return builder(status, inJob).put("env", RunScope.strings(env)).build();
  }

  Contexts.Builder builder(Contexts.Status status, boolean inJob) {
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
              Value.object(Map.of("status", Value.of(status.name().toLowerCase(Locale.ROOT)))))
          .put(
              "runner",
              Value.object(
                  Map.of(
                      "os", Value.of("Linux"),
                      "arch", Value.of(JobState.arch()),
                      "name", Value.of("tagflow"),
                      "temp", Value.of(temp.toString()))));
    }
    return b;
  }

  /** The job's texts rendered with {@code contexts}; a bad one named with its file and line. */
  Map<String, String> render(Map<String, Text> values, Contexts contexts) {
    return render(values, contexts, scope.workflow().file());
  }

  /** Texts of {@code file} rendered with {@code contexts}; a bad one named with its line. */
  static Map<String, String> render(Map<String, Text> values, Contexts contexts, String file) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Text> e : values.entrySet()) {
      try {
        out.put(e.getKey(), Template.parse(e.getValue().value()).render(contexts));
      } catch (ExpressionException x) {
        throw new StepFailure(
            e.getKey() + " at " + file + ":" + e.getValue().at() + ": " + x.getMessage());
      }
    }
    return out;
  }

  double minutes(Optional<Text> text, double otherwise) {
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

  static boolean flag(Optional<Text> text, Contexts contexts) {
    if (text.isEmpty()) {
      return false;
    }
    return Template.parse(text.get().value()).evaluate(contexts).isTruthy()
        && !text.get().value().strip().equals("false");
  }
}
