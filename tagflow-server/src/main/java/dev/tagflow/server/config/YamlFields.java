package dev.tagflow.server.config;

import dev.tagflow.app.GoDuration;
import dev.tagflow.app.Suggestion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The fields of one mapping of the settings file, remembering which were read so that {@link
 * #finish} can name every other one; a wrong field is a problem where it is, never an exception.
 * The settings' own small cousin of the Application reader's mapping, which carries Argo CD's
 * dialect.
 */
final class YamlFields {

  private final Node node;
  private final String path;
  private final SettingsProblems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();

  private YamlFields(Node node, String path, SettingsProblems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          problems.add(tuple.getKeyNode().getStartMark(), "a key in " + where() + " must be text");
        } else if (entries.putIfAbsent(key.getValue(), tuple) != null) {
          problems.add(
              key.getStartMark(),
              "duplicate field "
                  + child(key.getValue())
                  + " (the first is at line "
                  + (entries.get(key.getValue()).getKeyNode().getStartMark().getLine() + 1)
                  + ")");
        }
      }
    }
  }

  /**
   * The mapping at {@code node}; empty, with a problem, when it is not one. Null reads as empty.
   */
  static Optional<YamlFields> of(Node node, String path, SettingsProblems problems) {
    if (node instanceof MappingNode || isNull(node)) {
      return Optional.of(new YamlFields(node, path, problems));
    }
    problems.add(
        node.getStartMark(), where(path) + " must be a mapping (key: value), not " + shape(node));
    return Optional.empty();
  }

  String path() {
    return path;
  }

  Mark start() {
    return node.getStartMark();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value node of a field, marking it as read; a null value counts as absent. */
  Optional<Node> value(String key) {
    read.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple == null || isNull(tuple.getValueNode())
        ? Optional.empty()
        : Optional.of(tuple.getValueNode());
  }

  /** Where the field's key is (the mapping's start when it is absent). */
  Mark keyMark(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? node.getStartMark() : tuple.getKeyNode().getStartMark();
  }

  /** Where the field's value is (the mapping's start when it is absent). */
  Mark valueMark(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? node.getStartMark() : tuple.getValueNode().getStartMark();
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Optional<String> string(String key) {
    return value(key).flatMap(v -> scalar(v, child(key)));
  }

  /** A field that must be there and not be blank; a problem naming it when it is not. */
  Optional<String> requiredString(String key, String example) {
    Optional<String> value = string(key);
    if (value.isEmpty() && !entries.containsKey(key)) {
      problems.add(node.getStartMark(), "missing " + child(key) + " (e.g. " + example + ")");
    } else if (value.isEmpty() || value.get().isBlank()) {
      problems.add(keyMark(key), child(key) + " must not be empty (e.g. " + example + ")");
      return Optional.empty();
    }
    return value;
  }

  Optional<Long> integer(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof ScalarNode s
        && (s.getTag().equals(Tag.INT) || s.getValue().matches("-?\\d{1,18}"))) {
      try {
        return Optional.of(Long.parseLong(s.getValue().replace("_", "")));
      } catch (NumberFormatException e) {
        // Falls through to the problem: octal, hex or too large for a count.
      }
    }
    wrongType(value.get(), child(key), "a whole number");
    return Optional.empty();
  }

  /** {@code true} or {@code false}; a problem for anything else. */
  Optional<Boolean> bool(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty() || isNull(value.get())) {
      return Optional.empty();
    }
    if (value.get() instanceof ScalarNode s
        && (s.getValue().equals("true") || s.getValue().equals("false"))) {
      return Optional.of(s.getValue().equals("true"));
    }
    wrongType(value.get(), child(key), "true or false");
    return Optional.empty();
  }

  /**
   * A duration as Go writes it ({@code 30s}, {@code 5m}, {@code 1h30m}), at least {@code least}; a
   * bare number is refused, since seconds or minutes would be a guess.
   */
  Optional<Duration> duration(String key, Duration least, String why) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> duration = GoDuration.parse(text.get());
    if (duration.isEmpty()) {
      problems.add(
          valueMark(key),
          child(key)
              + " '"
              + text.get()
              + "' must be a duration with its unit ("
              + GoDuration.EXAMPLES
              + ")");
    } else if (duration.get().compareTo(least) < 0) {
      problems.add(
          valueMark(key),
          child(key) + " '" + text.get() + "' must be at least " + text(least) + ": " + why);
      return Optional.empty();
    }
    return duration;
  }

  private static String text(Duration duration) {
    return duration.toMillis() % 1000 != 0 || duration.isZero()
        ? duration.toMillis() + "ms"
        : duration.toSeconds() + "s";
  }

  Optional<YamlFields> mapping(String key) {
    read.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple == null ? Optional.empty() : of(tuple.getValueNode(), child(key), problems);
  }

  /** A list of texts ({@code [a, b]}, or {@code - a} a line); a problem for anything else. */
  List<String> strings(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode seq)) {
      wrongType(value.get(), child(key), "a list (- item, or [item, item])");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      scalar(seq.getValue().get(i), child(key) + "[" + i + "]").ifPresent(out::add);
    }
    return out;
  }

  /** The entries of a list of mappings, each with its index in its path. */
  List<YamlFields> mappings(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode seq)) {
      wrongType(value.get(), child(key), "a list (- item, or [item, item])");
      return List.of();
    }
    List<YamlFields> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      of(seq.getValue().get(i), child(key) + "[" + i + "]", problems).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Reports every field not read: an unknown one with the closest allowed name and the allowed
   * ones, or, when {@code misplaced} names it, with the hint given there.
   */
  void finish(Collection<String> allowed, Map<String, String> misplaced) {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      String key = e.getKey();
      if (read.contains(key) || allowed.contains(key)) {
        continue;
      }
      Mark mark = e.getValue().getKeyNode().getStartMark();
      if (misplaced.containsKey(key)) {
        problems.add(
            mark, "field '" + key + "' does not belong in " + where() + ": " + misplaced.get(key));
        continue;
      }
      StringBuilder message = new StringBuilder("unknown field '" + key + "' in " + where());
      Suggestion.closest(key, allowed)
          .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
      message.append(" (allowed: ").append(String.join(", ", allowed)).append(")");
      problems.add(mark, message.toString());
    }
  }

  void finish(Collection<String> allowed) {
    finish(allowed, Map.of());
  }

  private String where() {
    return where(path);
  }

  private static String where(String path) {
    return path.isEmpty() ? "the settings" : path;
  }

  private Optional<String> scalar(Node value, String at) {
    if (value instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      return Optional.of(s.getValue());
    }
    if (!isNull(value)) {
      wrongType(value, at, "text");
    }
    return Optional.empty();
  }

  private void wrongType(Node value, String at, String expected) {
    problems.add(value.getStartMark(), at + " must be " + expected + ", not " + shape(value));
  }

  static String shape(Node node) {
    return switch (node) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode s -> "'" + s.getValue() + "'";
      default -> "this";
    };
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }
}
