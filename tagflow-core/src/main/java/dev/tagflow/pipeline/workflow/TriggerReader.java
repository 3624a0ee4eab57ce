package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Suggestion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code on:} in its three forms ({@code on: push}, {@code on: [push, workflow_dispatch]},
 * and a mapping of events), with the filters of {@code push} and the inputs of {@code
 * workflow_dispatch}.
 */
final class TriggerReader {

  /** GitHub's events ("Events that trigger workflows"); only push and dispatch start runs here. */
  static final List<String> EVENTS =
      List.of(
          "push",
          "workflow_dispatch",
          "branch_protection_rule",
          "check_run",
          "check_suite",
          "create",
          "delete",
          "deployment",
          "deployment_status",
          "discussion",
          "discussion_comment",
          "fork",
          "gollum",
          "image_version",
          "issue_comment",
          "issues",
          "label",
          "merge_group",
          "milestone",
          "page_build",
          "project",
          "project_card",
          "project_column",
          "public",
          "pull_request",
          "pull_request_review",
          "pull_request_review_comment",
          "pull_request_target",
          "registry_package",
          "release",
          "repository_dispatch",
          "schedule",
          "status",
          "watch",
          "workflow_call",
          "workflow_run");

  private static final List<String> PUSH_KEYS =
      List.of("branches", "branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore");

  private final FileProblems problems;

  TriggerReader(FileProblems problems) {
    this.problems = problems;
  }

  Optional<Triggers> read(Node on, Position key) {
    Map<String, Node> events = new LinkedHashMap<>();
    switch (on) {
      case ScalarNode s when !Mapping.isNull(s) -> event(s).ifPresent(e -> events.put(e, null));
      case SequenceNode seq -> {
        for (Node item : seq.getValue()) {
          if (item instanceof ScalarNode s && !Mapping.isNull(s)) {
            event(s).ifPresent(e -> events.put(e, null));
          } else {
            problems.add(item.getStartMark(), "on: lists event names, not " + Mapping.shape(item));
          }
        }
      }
      case MappingNode m -> {
        Mapping mapping = Mapping.of(m, "on", problems).orElseThrow();
        for (String name : mapping.keys()) {
          Node value = mapping.raw(name).orElseThrow();
          if (known(name, mapping.keyAt(name))) {
            events.put(name, Mapping.isNull(value) ? null : value);
          }
        }
      }
      default -> {
        problems.add(key, "on: is empty; for a release, on: {push: {tags: ['v*']}}");
        return Optional.empty();
      }
    }
    Optional<PushTrigger> push =
        events.containsKey("push") ? Optional.of(push(events.get("push"))) : Optional.empty();
    Optional<Map<String, DispatchInput>> dispatch =
        events.containsKey("workflow_dispatch")
            ? Optional.of(dispatch(events.get("workflow_dispatch")))
            : Optional.empty();
    return Optional.of(new Triggers(push, dispatch, new ArrayList<>(events.keySet())));
  }

  private Optional<String> event(ScalarNode name) {
    return known(name.getValue(), Position.of(name.getStartMark()))
        ? Optional.of(name.getValue())
        : Optional.empty();
  }

  private boolean known(String event, Position at) {
    if (EVENTS.contains(event)) {
      return true;
    }
    StringBuilder message = new StringBuilder("unknown event " + FileProblems.quoted(event));
    Suggestion.closest(event, EVENTS)
        .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
    message.append(" (Tagflow starts runs on push and workflow_dispatch)");
    problems.add(at, message.toString());
    return false;
  }

  private PushTrigger push(Node value) {
    if (value == null) {
      return new PushTrigger(Optional.empty(), Optional.empty(), false);
    }
    Optional<Mapping> push = Mapping.of(value, "on.push", problems);
    if (push.isEmpty()) {
      return new PushTrigger(Optional.empty(), Optional.empty(), false);
    }
    Mapping p = push.get();
    Optional<RefFilter> branches = filter(p, "branches", "branches-ignore");
    Optional<RefFilter> tags = filter(p, "tags", "tags-ignore");
    boolean paths = p.has("paths") || p.has("paths-ignore");
    if (p.has("paths") && p.has("paths-ignore")) {
      problems.add(
          p.keyAt("paths-ignore"),
          "on.push has both paths and paths-ignore; GitHub takes one of them: use paths with"
              + " '!pattern' entries to exclude");
    }
    p.textOrList("paths");
    p.textOrList("paths-ignore");
    p.finish(PUSH_KEYS);
    return new PushTrigger(branches, tags, paths);
  }

  private Optional<RefFilter> filter(Mapping push, String include, String ignore) {
    if (push.has(include) && push.has(ignore)) {
      problems.add(
          push.keyAt(ignore),
          "on.push has both "
              + include
              + " and "
              + ignore
              + "; GitHub takes one of them: use "
              + include
              + " with '!pattern' entries to exclude");
    }
    if (push.has(include)) {
      List<RefPattern> patterns = patterns(push, include);
      if (!patterns.isEmpty() && patterns.stream().allMatch(RefPattern::negative)) {
        problems.add(
            push.keyAt(include),
            "on.push."
                + include
                + " has only '!' patterns, which match nothing; add a positive pattern before"
                + " them, or use "
                + ignore
                + " to only exclude");
      }
      return Optional.of(new RefFilter.Include(patterns));
    }
    if (push.has(ignore)) {
      return Optional.of(new RefFilter.Ignore(patterns(push, ignore)));
    }
    return Optional.empty();
  }

  private List<RefPattern> patterns(Mapping push, String key) {
    Optional<Node> node = push.raw(key);
    List<RefPattern> out = new ArrayList<>();
    List<Node> items =
        node.isEmpty() || Mapping.isNull(node.get())
            ? List.of()
            : node.get() instanceof SequenceNode seq ? seq.getValue() : List.of(node.get());
    for (Node item : items) {
      if (!(item instanceof ScalarNode s) || Mapping.isNull(item)) {
        problems.add(
            item.getStartMark(),
            "on.push." + key + " lists patterns (text), not " + Mapping.shape(item));
        continue;
      }
      try {
        out.add(RefPattern.parse(s.getValue()));
      } catch (RefPattern.Invalid e) {
        int quote = s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN ? 0 : 1;
        Position at = Position.of(s.getStartMark());
        boolean oneLine = s.getStartMark().getLine() == s.getEndMark().getLine();
        problems.add(
            oneLine ? new Position(at.line(), at.column() + quote + e.offset()) : at,
            "the pattern " + FileProblems.quoted(s.getValue()) + " " + e.getMessage());
      }
    }
    return out;
  }

  private Map<String, DispatchInput> dispatch(Node value) {
    Map<String, DispatchInput> inputs = new LinkedHashMap<>();
    if (value == null) {
      return inputs;
    }
    Optional<Mapping> dispatch = Mapping.of(value, "on.workflow_dispatch", problems);
    if (dispatch.isEmpty()) {
      return inputs;
    }
    Optional<Mapping> declared = dispatch.get().mapping("inputs");
    dispatch.get().finish(List.of("inputs"));
    if (declared.isEmpty()) {
      return inputs;
    }
    for (String id : declared.get().keys()) {
      Position at = declared.get().keyAt(id);
      Optional<Mapping> input = declared.get().mapping(id);
      if (!WorkflowReader.ID.matcher(id).matches() || id.length() > WorkflowReader.MAX_ID) {
        problems.add(
            at,
            "input "
                + FileProblems.quoted(id)
                + " is not a valid id: it must start with a letter or _ and hold only letters,"
                + " digits, - and _");
        continue;
      }
      input.flatMap(i -> input(id, at, i)).ifPresent(i -> inputs.put(id, i));
    }
    return inputs;
  }

  private Optional<DispatchInput> input(String id, Position at, Mapping input) {
    Optional<String> description = input.text("description").map(Text::value);
    Optional<Text> required = input.text("required");
    boolean isRequired = false;
    if (required.isPresent()) {
      String r = required.get().value().toLowerCase(Locale.ROOT);
      if (!r.equals("true") && !r.equals("false")) {
        problems.add(
            required.get().at(),
            input.child("required") + " must be true or false, not " + FileProblems.quoted(r));
      }
      isRequired = r.equals("true");
    }
    Optional<Text> typeText = input.text("type");
    DispatchInput.Type type = DispatchInput.Type.STRING;
    if (typeText.isPresent()) {
      try {
        type = DispatchInput.Type.valueOf(typeText.get().value().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(
            typeText.get().at(),
            input.child("type")
                + " "
                + FileProblems.quoted(typeText.get().value())
                + " is not a type; use string, boolean, choice, number or environment");
      }
    }
    Optional<String> defaultValue = input.text("default").map(Text::value);
    List<String> options = input.textOrList("options").stream().map(Text::value).toList();
    if (type == DispatchInput.Type.CHOICE && options.isEmpty()) {
      problems.add(at, "input '" + id + "' is a choice without options; list them in options:");
    }
    if (type == DispatchInput.Type.CHOICE
        && defaultValue.isPresent()
        && !options.contains(defaultValue.get())) {
      problems.add(
          input.keyAt("default"),
          "the default of input '"
              + id
              + "' is not one of its options ("
              + String.join(", ", options)
              + ")");
    }
    input.finish(List.of("description", "required", "default", "type", "options"));
    return Optional.of(
        new DispatchInput(id, at, description, isRequired, type, defaultValue, options));
  }
}
