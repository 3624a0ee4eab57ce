package dev.tagflow.pipeline.workflow;

import dev.tagflow.pipeline.expression.Condition;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Place;
import dev.tagflow.pipeline.expression.Template;
import dev.tagflow.yaml.YamlLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads an action's {@code action.yml} (or {@code action.yaml}) into an {@link ActionDefinition},
 * with every problem at its {@code file:line:column}, within the same {@link YamlLimits} as
 * workflows. A composite action's steps are read as a job's steps are, with GitHub's rules for
 * composite steps: a {@code run:} step names its {@code shell}, and {@code timeout-minutes} is not
 * there. Docker container actions are refused with what to use instead.
 */
public final class ActionLoader {

  /** The names GitHub looks for, in its order. */
  public static final List<String> FILES = List.of("action.yml", "action.yaml");

  private static final List<String> KEYS =
      List.of("name", "author", "description", "inputs", "outputs", "runs", "branding");

  private static final List<String> INPUT_KEYS =
      List.of("description", "required", "default", "deprecationMessage");

  private static final List<String> NODE_KEYS =
      List.of("using", "main", "pre", "pre-if", "post", "post-if");

  /** Only syntax: an action's contexts are its own ({@code inputs} its inputs). */
  private static final ExpressionCheck SYNTAX =
      site -> {
        try {
          if (site.condition()) {
            Condition.parse(site.text().value());
          } else {
            Template.parse(site.text().value());
          }
          return List.of();
        } catch (ExpressionException e) {
          String message = e.getMessage().replaceFirst(" \\(column \\d+\\)$", "");
          return List.of(new ExpressionCheck.Problem(Math.max(0, e.offset()), message));
        }
      };

  private final WorkflowLoader yaml;
  private final YamlLimits limits;

  /**
   * With limits for an action's file: 1 MiB (GitHub's own actions are a few KiB), 64 levels,
   * 100,000 nodes, 1,000 aliases.
   */
  public ActionLoader() {
    this(new YamlLimits(1024 * 1024, 64, 100_000, 4 * 1024 * 1024, 1_000));
  }

  public ActionLoader(YamlLimits limits) {
    this.limits = limits;
    this.yaml = new WorkflowLoader(limits, SYNTAX);
  }

  /**
   * Refuses a file larger than the limits allow, before it is read.
   *
   * @throws dev.tagflow.TagflowException (INVALID_INPUT) naming the file and the limit
   */
  public void checkSize(String file, long bytes) {
    limits.checkSize(file, bytes);
  }

  /**
   * An action from the bytes of its file.
   *
   * @param file names the file in messages
   * @throws InvalidWorkflowException with every problem of the file
   */
  public ActionDefinition load(String file, byte[] content) {
    FileProblems problems = new FileProblems(file, "the action");
    limits.checkSize(file, content.length);
    WorkflowLoader.Either text = WorkflowLoader.utf8(file, content);
    if (text.problem() != null) {
      problems.add(new Position(1, 1), text.problem());
      throw new InvalidWorkflowException(problems.sorted());
    }
    Optional<Node> document =
        yaml.compose(
            file,
            text.text(),
            problems,
            "an action needs runs: (using: composite, node20 or node24, and what it runs)");
    Optional<ActionDefinition> action = document.flatMap(d -> read(file, d, text.text(), problems));
    if (action.isEmpty() || !problems.isEmpty()) {
      throw new InvalidWorkflowException(problems.sorted());
    }
    return action.get();
  }

  private Optional<ActionDefinition> read(
      String file, Node document, String text, FileProblems problems) {
    Optional<Mapping> root = Mapping.of(document, "", problems);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    Mapping r = root.get();
    WorkflowReader reader = new WorkflowReader(file, problems);
    Optional<Text> name = r.text("name");
    r.text("author");
    r.text("description");
    r.raw("branding");
    Map<String, ActionDefinition.Input> inputs = inputs(r, reader, problems);
    Optional<ActionDefinition.Runs> runs = Optional.empty();
    Optional<Mapping> runsMap = r.mapping("runs");
    if (runsMap.isEmpty()) {
      if (!r.has("runs")) {
        problems.add(
            r.at(),
            "the action has no 'runs:'; give runs.using (composite, node20 or node24) and what it"
                + " runs");
      }
    } else {
      runs = runs(runsMap.get(), reader, problems);
    }
    boolean composite = runs.isPresent() && runs.get() instanceof ActionDefinition.Composite;
    Map<String, Text> outputs = outputs(r, reader, composite, problems);
    r.finish(KEYS);
    yaml.check(reader.sites(), text, problems);
    if (runs.isEmpty() || !problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ActionDefinition(file, name, inputs, outputs, runs.get()));
  }

  private static Map<String, ActionDefinition.Input> inputs(
      Mapping r, WorkflowReader reader, FileProblems problems) {
    Map<String, ActionDefinition.Input> inputs = new LinkedHashMap<>();
    Optional<Mapping> all = r.mapping("inputs");
    if (all.isEmpty()) {
      return inputs;
    }
    for (String id : all.get().keys()) {
      Position at = all.get().keyAt(id);
      if (!reader.checkId(id.replace(' ', '_'), at, "input id")) {
        continue;
      }
      Optional<Mapping> input =
          Mapping.of(all.get().raw(id).orElseThrow(), all.get().child(id), problems);
      if (input.isEmpty()) {
        continue;
      }
      Mapping m = input.get();
      m.text("description");
      Optional<Text> required = m.text("required");
      required.ifPresent(t -> reader.checkBoolean(t, m.child("required")));
      Optional<Text> defaultValue = reader.expression(m, "default", m.path(), Place.STEP_SETTING);
      Optional<Text> deprecation = m.text("deprecationMessage");
      m.finish(INPUT_KEYS);
      inputs.put(
          id,
          new ActionDefinition.Input(
              id,
              defaultValue,
              required.map(t -> t.value().equalsIgnoreCase("true")).orElse(false),
              deprecation));
    }
    return inputs;
  }

  private static Map<String, Text> outputs(
      Mapping r, WorkflowReader reader, boolean composite, FileProblems problems) {
    Map<String, Text> outputs = new LinkedHashMap<>();
    Optional<Mapping> all = r.mapping("outputs");
    if (all.isEmpty()) {
      return outputs;
    }
    for (String id : all.get().keys()) {
      Position at = all.get().keyAt(id);
      Optional<Mapping> output =
          Mapping.of(all.get().raw(id).orElseThrow(), all.get().child(id), problems);
      if (output.isEmpty()) {
        continue;
      }
      Mapping m = output.get();
      m.text("description");
      if (composite) {
        Optional<Text> value = reader.expression(m, "value", m.path(), Place.STEP_SETTING);
        if (value.isEmpty()) {
          problems.add(
              at,
              m.path()
                  + " has no value; a composite action's output is value: ${{"
                  + " steps.<id>.outputs.<name> }}");
        }
        value.ifPresent(v -> outputs.put(id, v));
        m.finish(List.of("description", "value"));
      } else {
        outputs.put(id, new Text("", at));
        m.finish(List.of("description"));
      }
    }
    return outputs;
  }

  private static Optional<ActionDefinition.Runs> runs(
      Mapping runs, WorkflowReader reader, FileProblems problems) {
    Optional<Text> using = runs.text("using");
    if (using.isEmpty()) {
      problems.add(runs.at(), "runs has no 'using:'; use composite, node20 or node24");
      return Optional.empty();
    }
    String value = using.get().value().strip();
    switch (value) {
      case "composite" -> {
        return composite(runs, reader, problems);
      }
      case "node12", "node16", "node20", "node24" -> {
        return node(runs, using.get(), Integer.parseInt(value.substring(4)), problems);
      }
      case "docker" -> {
        runs.raw("image");
        runs.raw("entrypoint");
        runs.raw("args");
        runs.raw("env");
        runs.raw("pre-entrypoint");
        runs.raw("post-entrypoint");
        problems.add(
            using.get().at(),
            "runs.using 'docker' is a Docker container action, which Tagflow does not run (steps"
                + " are processes on its host, without a Docker daemon); build and push images with"
                + " tagflow/image, and run the tool in a run: step");
        return Optional.empty();
      }
      default -> {
        problems.add(
            using.get().at(),
            "runs.using "
                + FileProblems.quoted(value)
                + " is not one Tagflow runs; use composite, node20 or node24");
        return Optional.empty();
      }
    }
  }

  private static Optional<ActionDefinition.Runs> composite(
      Mapping runs, WorkflowReader reader, FileProblems problems) {
    Optional<Node> value = runs.node("steps");
    List<Mapping> listed = runs.mappings("steps");
    if (value.isEmpty() || value.get() instanceof SequenceNode seq && seq.getValue().isEmpty()) {
      problems.add(runs.keyAt("using"), "runs.steps is empty; a composite action needs steps");
    }
    JobReader steps = new JobReader(problems, reader);
    List<Step> out = new ArrayList<>();
    Map<String, Position> ids = new HashMap<>();
    for (int i = 0; i < listed.size(); i++) {
      Mapping s = listed.get(i);
      String path = "runs.steps[" + i + "]";
      if (s.has("timeout-minutes")) {
        problems.add(
            s.keyAt("timeout-minutes"),
            path
                + ".timeout-minutes is not allowed in a composite action's step (as on GitHub);"
                + " set it on the step that uses the action");
      }
      if (s.has("run") && !s.has("shell")) {
        problems.add(
            s.keyAt("run"),
            path
                + " has run: without shell:; a composite action's run: step names its shell"
                + " (shell: bash), as on GitHub");
      }
      steps.step(i, s, "runs", ids).ifPresent(out::add);
    }
    runs.finish(List.of("using", "steps"));
    return Optional.of(new ActionDefinition.Composite(out));
  }

  private static Optional<ActionDefinition.Runs> node(
      Mapping runs, Text using, int major, FileProblems problems) {
    Optional<Text> main = runs.text("main");
    Optional<Text> pre = runs.text("pre");
    Optional<Text> preIf = runs.text("pre-if");
    Optional<Text> post = runs.text("post");
    Optional<Text> postIf = runs.text("post-if");
    runs.finish(NODE_KEYS);
    if (main.isEmpty()) {
      problems.add(
          runs.keyAt("using"),
          "runs has no 'main:'; a JavaScript action names its script: main: dist/index.js");
      return Optional.empty();
    }
    for (Optional<Text> script : List.of(main, pre, post)) {
      script.ifPresent(t -> checkScript(t, problems));
    }
    Text always = new Text("always()", using.at());
    return Optional.of(
        new ActionDefinition.Node(
            using.value().strip(),
            major,
            main.get(),
            pre,
            preIf.orElse(always),
            post,
            postIf.orElse(always)));
  }

  /** A script is a file of the action: no absolute path, no {@code ..}. */
  private static void checkScript(Text script, FileProblems problems) {
    String value = script.value();
    boolean leaves = value.startsWith("/") || value.contains("\\");
    for (String part : value.split("/")) {
      leaves |= part.equals("..");
    }
    if (leaves || value.isBlank()) {
      problems.add(
          script.at(),
          FileProblems.quoted(value)
              + " is not a file of the action; give a path inside its directory (dist/index.js)");
    }
  }
}
