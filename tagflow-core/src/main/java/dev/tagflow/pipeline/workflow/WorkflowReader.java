package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Suggestion;
import dev.tagflow.pipeline.expression.Place;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the node graph of one workflow file into a {@link Workflow}, reporting every mistake where
 * it is. Triggers are read by {@link TriggerReader} and jobs by {@link JobReader}.
 */
final class WorkflowReader {

  /** GitHub's rule for job, step and input ids. */
  static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /** Longer ids are refused: they appear in every log line and context path. */
  static final int MAX_ID = 100;

  private static final List<String> KEYS =
      List.of("name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs");

  private final String file;
  private final FileProblems problems;
  private final List<ExpressionSite> sites = new ArrayList<>();

  WorkflowReader(String file, FileProblems problems) {
    this.file = file;
    this.problems = problems;
  }

  /**
   * What one file gave: the workflow when nothing was wrong, the triggers when they could be read
   * (to tell which pushes a refused workflow would have started), and every value that may hold an
   * expression, so expressions are checked even in a file with other problems.
   */
  record Reading(Optional<Workflow> workflow, Optional<Triggers> on, List<ExpressionSite> sites) {}

  /** Every value recorded so far that may hold an expression. */
  List<ExpressionSite> sites() {
    return List.copyOf(sites);
  }

  Reading read(Node document) {
    Optional<Mapping> root = Mapping.of(document, "", problems);
    if (root.isEmpty()) {
      return new Reading(Optional.empty(), Optional.empty(), List.of());
    }
    Mapping r = root.get();
    Optional<Text> name = r.text("name");
    Optional<Text> runName = r.text("run-name");
    runName.ifPresent(t -> site("run-name", Place.RUN_NAME, t));
    Optional<Triggers> on = Optional.empty();
    if (!r.has("on")) {
      problems.add(
          r.at(),
          "the workflow has no 'on:' (what starts it); for a release, on: {push: {tags: ['v*']}}");
    } else {
      on = new TriggerReader(problems).read(r.raw("on").orElseThrow(), r.keyAt("on"));
    }
    Map<String, Text> env = expressions(r, "env", "", Place.WORKFLOW_ENV);
    RunDefaults defaults = defaults(r, "defaults", null);
    r.raw("permissions"); // GitHub's token permissions: Tagflow gives steps no GitHub token.
    r.raw("concurrency"); // Tagflow runs one run per tag and workflow anyway.
    Map<String, Job> jobs = new JobReader(problems, this).read(r);
    r.finish(KEYS);
    Optional<Workflow> workflow =
        problems.isEmpty() && on.isPresent()
            ? Optional.of(new Workflow(file, name, runName, on.get(), env, defaults, jobs, sites))
            : Optional.empty();
    return new Reading(workflow, on, List.copyOf(sites));
  }

  /** {@code defaults.run} of the workflow or of a job. */
  RunDefaults defaults(Mapping parent, String key, String job) {
    Optional<Mapping> defaults = parent.mapping(key);
    if (defaults.isEmpty()) {
      return RunDefaults.NONE;
    }
    Optional<Mapping> run = defaults.get().mapping("run");
    defaults.get().finish(List.of("run"));
    if (run.isEmpty()) {
      return RunDefaults.NONE;
    }
    Optional<Text> shell = run.get().text("shell");
    shell.ifPresent(this::checkShell);
    Optional<Text> directory = run.get().text("working-directory");
    if (job != null) {
      directory.ifPresent(
          t -> site("jobs." + job + ".defaults.run.working-directory", Place.JOB_DEFAULTS_RUN, t));
    }
    run.get().finish(List.of("shell", "working-directory"));
    return new RunDefaults(shell, directory);
  }

  /** Shells a Linux host runs; Windows' are refused, a custom command needs {0}. */
  void checkShell(Text shell) {
    String value = shell.value().trim();
    if (List.of("bash", "sh", "python", "pwsh").contains(value) || value.contains("{0}")) {
      return;
    }
    if (value.equals("cmd") || value.equals("powershell")) {
      problems.add(
          shell.at(),
          "shell '"
              + value
              + "' is Windows' and steps run on the Tagflow host (Linux); use bash, sh, pwsh or"
              + " python");
      return;
    }
    StringBuilder message = new StringBuilder("unknown shell " + FileProblems.quoted(value));
    Suggestion.closest(value, List.of("bash", "sh", "python", "pwsh"))
        .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
    message.append(
        " (bash, sh, pwsh, python, or a command with {0} for the script file: 'perl {0}')");
    problems.add(shell.at(), message.toString());
  }

  /** A text value that may hold an expression, recorded as a site under {@code parent.key}. */
  Optional<Text> expression(Mapping m, String key, String parent, Place site) {
    Optional<Text> text = m.text(key);
    text.ifPresent(t -> site(parent + "." + key, site, t));
    return text;
  }

  /** A mapping of text values that may hold expressions ({@code env}, {@code with}, …). */
  Map<String, Text> expressions(Mapping m, String key, String parent, Place site) {
    Map<String, Text> texts = m.texts(key);
    String prefix = parent.isEmpty() ? key + "." : parent + "." + key + ".";
    texts.forEach((k, v) -> site(prefix + k, site, v));
    return texts;
  }

  /** {@code timeout-minutes}: a positive number or an expression. */
  Optional<Text> minutes(Mapping m, String parent, Place site) {
    Optional<Text> text = expression(m, "timeout-minutes", parent, site);
    text.ifPresent(t -> checkMinutes(t, parent + ".timeout-minutes"));
    return text;
  }

  /** A flag ({@code continue-on-error}, {@code fail-fast}): true, false or an expression. */
  Optional<Text> flag(Mapping m, String key, String parent, Place site) {
    Optional<Text> text = expression(m, key, parent, site);
    text.ifPresent(t -> checkBoolean(t, parent + "." + key));
    return text;
  }

  /** Records a value that may hold an expression. */
  void site(String path, Place key, Text text) {
    sites.add(new ExpressionSite(path, key, text));
  }

  /**
   * Checks an id against GitHub's rule ({@code what} names it in the message); true when it is
   * valid.
   */
  boolean checkId(String id, Position at, String what) {
    if (id.length() > MAX_ID) {
      problems.add(
          at,
          what
              + " "
              + FileProblems.quoted(id)
              + " is "
              + id.length()
              + " characters long; Tagflow takes at most "
              + MAX_ID);
      return false;
    }
    if (!ID.matcher(id).matches()) {
      problems.add(
          at,
          what
              + " "
              + FileProblems.quoted(id)
              + " is not a valid id: it must start with a letter or _ and hold only letters,"
              + " digits, - and _");
      return false;
    }
    return true;
  }

  /** A number of minutes, or an expression. */
  void checkMinutes(Text minutes, String where) {
    if (!minutes.hasExpression() && !minutes.value().matches("\\d+(\\.\\d+)?")
        || minutes.value().matches("0+(\\.0+)?")) {
      problems.add(
          minutes.at(),
          where
              + " must be a positive number of minutes, or an expression, not "
              + FileProblems.quoted(minutes.value()));
    }
  }

  /** true, false, or an expression. */
  void checkBoolean(Text value, String where) {
    if (!value.hasExpression() && !value.value().matches("true|false|True|False|TRUE|FALSE")) {
      problems.add(
          value.at(),
          where
              + " must be true, false or an expression, not "
              + FileProblems.quoted(value.value()));
    }
  }
}
