package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Suggestion;
import dev.tagflow.pipeline.expression.Place;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code jobs:}: each job, its steps and matrix, then the {@code needs} between jobs (unknown
 * jobs, cycles). Keys that need Docker or other workflows ({@code services}, {@code container},
 * {@code uses}) are refused with what to do instead.
 */
final class JobReader {

  /** Job definitions per workflow, as many as GitHub lets one matrix make. */
  static final int MAX_JOBS = Matrix.MAX_JOBS;

  private static final List<String> JOB_KEYS =
      List.of(
          "name",
          "needs",
          "if",
          "runs-on",
          "env",
          "outputs",
          "timeout-minutes",
          "continue-on-error",
          "strategy",
          "defaults",
          "permissions",
          "environment",
          "concurrency",
          "steps");

  private static final List<String> STEP_KEYS =
      List.of(
          "id",
          "name",
          "if",
          "uses",
          "with",
          "run",
          "shell",
          "working-directory",
          "env",
          "continue-on-error",
          "timeout-minutes");

  private static final Map<String, String> REFUSED_JOB_KEYS =
      Map.of(
          "services",
          "service containers need Docker, which Tagflow does not use (jobs run as processes on"
              + " the Tagflow host); start what the job needs in a run: step, or point the job at"
              + " a running service",
          "container",
          "jobs run as processes on the Tagflow host, not in a container; remove container: and"
              + " set up tools with steps (actions/setup-java), and build images with"
              + " tagflow/image");

  private final FileProblems problems;
  private final WorkflowReader workflow;
  private final StepUses uses;

  JobReader(FileProblems problems, WorkflowReader workflow) {
    this.problems = problems;
    this.workflow = workflow;
    this.uses = new StepUses(problems);
  }

  Map<String, Job> read(Mapping root) {
    Map<String, Job> jobs = new LinkedHashMap<>();
    if (!root.has("jobs")) {
      problems.add(root.at(), "the workflow has no 'jobs:'; a workflow needs at least one job");
      return jobs;
    }
    // "jobs:" with nothing under it reads as an empty mapping, and is refused as one.
    Optional<Mapping> all = Mapping.of(root.raw("jobs").orElseThrow(), "jobs", problems);
    if (all.isEmpty()) {
      return jobs;
    }
    if (all.get().keys().isEmpty()) {
      problems.add(root.keyAt("jobs"), "jobs: is empty; a workflow needs at least one job");
    }
    if (all.get().keys().size() > MAX_JOBS) {
      problems.add(
          root.keyAt("jobs"),
          "jobs: has "
              + all.get().keys().size()
              + " jobs; Tagflow runs at most "
              + MAX_JOBS
              + " jobs per workflow (GitHub's cap for a matrix); split the workflow");
      return jobs;
    }
    Map<String, List<Text>> needs = new LinkedHashMap<>();
    for (String id : all.get().keys()) {
      Position at = all.get().keyAt(id);
      boolean valid = workflow.checkId(id, at, "job id");
      // A job written with nothing under it ("build:") is an empty job, not no job.
      Optional<Mapping> job =
          Mapping.of(all.get().raw(id).orElseThrow(), all.get().child(id), problems);
      if (valid && job.isPresent()) {
        job(id, at, job.get(), needs).ifPresent(j -> jobs.put(id, j));
      }
    }
    checkNeeds(all.get(), needs);
    return jobs;
  }

  private Optional<Job> job(String id, Position at, Mapping j, Map<String, List<Text>> needs) {
    String path = "jobs." + id;
    for (Map.Entry<String, String> refused : REFUSED_JOB_KEYS.entrySet()) {
      if (j.has(refused.getKey())) {
        j.raw(refused.getKey());
        problems.add(
            j.keyAt(refused.getKey()),
            path + "." + refused.getKey() + " is not supported: " + refused.getValue());
      }
    }
    if (j.has("uses")) {
      j.raw("uses");
      j.raw("with");
      j.raw("secrets");
      problems.add(
          j.keyAt("uses"),
          path
              + ".uses calls a reusable workflow, which Tagflow does not run; copy the called"
              + " workflow's jobs into this workflow, or make the shared steps a composite action"
              + " (uses: ./.github/actions/<name> in a step), which Tagflow runs");
      j.finish(JOB_KEYS);
      return Optional.empty();
    }
    Optional<Text> name = workflow.expression(j, "name", path, Place.JOB_SETTING);
    List<Text> needed = j.textOrList("needs");
    needs.put(id, needed);
    Optional<Text> condition = workflow.expression(j, "if", path, Place.JOB_IF);
    Optional<Text> runsOn = runsOn(j, path);
    Map<String, Text> env = workflow.expressions(j, "env", path, Place.JOB_ENV);
    Map<String, Text> outputs = workflow.expressions(j, "outputs", path, Place.JOB_OUTPUTS);
    Optional<Text> timeout = workflow.minutes(j, path, Place.JOB_SETTING);
    Optional<Text> continueOnError = workflow.flag(j, "continue-on-error", path, Place.JOB_SETTING);
    Optional<Strategy> strategy =
        j.mapping("strategy").flatMap(s -> new MatrixReader(problems, workflow).strategy(s, path));
    RunDefaults defaults = workflow.defaults(j, "defaults", id);
    j.raw("permissions"); // Tagflow gives steps no GitHub token to scope.
    j.raw("environment"); // GitHub's deployment environments; Tagflow's are promote's.
    j.raw("concurrency"); // One run per tag and workflow anyway.
    List<Step> steps = steps(j, path, at);
    j.finish(JOB_KEYS);
    return Optional.of(
        new Job(
            id,
            at,
            name,
            needed.stream().map(Text::value).toList(),
            condition,
            env,
            outputs,
            timeout,
            continueOnError,
            strategy,
            runsOn,
            defaults,
            steps));
  }

  /** runs-on: accepted in any of GitHub's forms and not used: every job runs on the host. */
  private Optional<Text> runsOn(Mapping j, String path) {
    Optional<Node> node = j.node("runs-on");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (node.get() instanceof ScalarNode) {
      Optional<Text> text = Mapping.text(node.get(), path + ".runs-on", problems);
      text.ifPresent(t -> workflow.site(path + ".runs-on", Place.JOB_SETTING, t));
      return text;
    }
    return Optional.empty();
  }

  private List<Step> steps(Mapping j, String path, Position at) {
    if (!j.has("steps")) {
      problems.add(at, path + " has no steps; a job needs at least one step");
      return List.of();
    }
    Optional<Node> value = j.node("steps");
    List<Mapping> listed = j.mappings("steps");
    boolean emptyList =
        value.isPresent() && value.get() instanceof SequenceNode seq && seq.getValue().isEmpty();
    if (value.isEmpty() || emptyList) {
      problems.add(j.keyAt("steps"), path + ".steps is empty; a job needs at least one step");
    }
    List<Step> steps = new ArrayList<>();
    Map<String, Position> ids = new HashMap<>();
    for (int i = 0; i < listed.size(); i++) {
      step(i, listed.get(i), path, ids).ifPresent(steps::add);
    }
    return steps;
  }

  Optional<Step> step(int index, Mapping s, String job, Map<String, Position> ids) {
    String path = job + ".steps[" + index + "]";
    Optional<String> id = s.text("id").map(Text::value);
    if (id.isPresent()) {
      Position at = s.keyAt("id");
      if (workflow.checkId(id.get(), at, "step id")) {
        Position earlier = ids.putIfAbsent(id.get(), at);
        if (earlier != null) {
          problems.add(
              at,
              "a second step with id '"
                  + id.get()
                  + "' in "
                  + job
                  + " (the first is at line "
                  + earlier.line()
                  + "); step ids are unique within a job");
        }
      }
    }
    Optional<Text> name = workflow.expression(s, "name", path, Place.STEP_SETTING);
    Optional<Text> condition = workflow.expression(s, "if", path, Place.STEP_IF);
    Map<String, Text> env = workflow.expressions(s, "env", path, Place.STEP_SETTING);
    Optional<Text> timeout = workflow.minutes(s, path, Place.STEP_SETTING);
    Optional<Text> continueOnError =
        workflow.flag(s, "continue-on-error", path, Place.STEP_SETTING);
    Optional<StepAction> action = action(s, path);
    s.finish(STEP_KEYS);
    return action.map(
        a -> new Step(index, s.at(), id, name, a, env, condition, timeout, continueOnError));
  }

  private Optional<StepAction> action(Mapping s, String path) {
    boolean run = s.has("run");
    boolean uses = s.has("uses");
    if (run && uses) {
      problems.add(s.keyAt("uses"), path + " has both run: and uses:; a step does one of them");
    } else if (!run && !uses) {
      problems.add(s.at(), path + " has neither run: nor uses:; a step does one of them");
    }
    if (uses && s.has("shell")) {
      problems.add(s.keyAt("shell"), path + ".shell goes with run:, not with uses:");
    }
    if (uses && s.has("working-directory")) {
      problems.add(
          s.keyAt("working-directory"), path + ".working-directory goes with run:, not with uses:");
    }
    if (run && s.has("with")) {
      problems.add(s.keyAt("with"), path + ".with goes with uses:, not with run:");
    }
    Optional<Text> shell = s.text("shell");
    shell.ifPresent(workflow::checkShell);
    Optional<Text> directory =
        workflow.expression(s, "working-directory", path, Place.STEP_SETTING);
    Map<String, Text> with = workflow.expressions(s, "with", path, Place.STEP_SETTING);
    if (run) {
      Optional<Text> script = workflow.expression(s, "run", path, Place.STEP_SETTING);
      if (script.isEmpty() && !s.has("uses")) {
        problems.add(s.keyAt("run"), path + ".run is empty; give the commands to run");
      }
      return script.map(t -> new StepAction.Run(t, shell, directory));
    }
    if (uses) {
      Optional<Text> text = s.text("uses");
      if (text.isEmpty()) {
        problems.add(s.keyAt("uses"), path + ".uses is empty; name an action: actions/checkout@v4");
        return Optional.empty();
      }
      return this.uses
          .read(text.get(), path)
          .map(ref -> new StepAction.Uses(ref, text.get(), with));
    }
    return Optional.empty();
  }

  /** Every need names a job of the workflow, and the needs have no cycle. */
  private void checkNeeds(Mapping jobs, Map<String, List<Text>> needs) {
    for (Map.Entry<String, List<Text>> e : needs.entrySet()) {
      for (Text need : e.getValue()) {
        if (!jobs.has(need.value())) {
          StringBuilder message =
              new StringBuilder(
                  "jobs."
                      + e.getKey()
                      + ".needs names "
                      + FileProblems.quoted(need.value())
                      + ", which is not a job of this workflow");
          Suggestion.closest(need.value(), jobs.keys())
              .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
          message.append(" (jobs: ").append(String.join(", ", jobs.keys())).append(")");
          problems.add(need.at(), message.toString());
        }
      }
    }
    Set<String> done = new HashSet<>();
    for (String job : needs.keySet()) {
      List<String> cycle = cycleFrom(job, needs, new ArrayList<>(), done);
      if (!cycle.isEmpty()) {
        problems.add(
            jobs.keyAt(cycle.getFirst()),
            "jobs need each other in a cycle: "
                + String.join(" → ", cycle)
                + "; remove one of these needs");
        return; // One cycle at a time: the next round shows the next, if any.
      }
    }
  }

  /** Depth first along needs; the cycle as a closed path (a → b → a), or empty. */
  private static List<String> cycleFrom(
      String job, Map<String, List<Text>> needs, List<String> path, Set<String> done) {
    if (done.contains(job)) {
      return List.of();
    }
    int seen = path.indexOf(job);
    if (seen >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
      cycle.add(job);
      return cycle;
    }
    path.add(job);
    for (Text need : needs.getOrDefault(job, List.of())) {
      List<String> cycle = cycleFrom(need.value(), needs, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.removeLast();
    done.add(job);
    return List.of();
  }
}
