package dev.tagflow.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * Reads the fields of one YAML mapping while remembering which were read, so that {@link #finish}
 * can name every field nobody asked for. Works on SnakeYAML's node tree because it keeps the line
 * and column of every key and value; a wrong field is reported where it is, never thrown.
 */
final class YamlMapping {

  private final Node node;
  private final String path;
  private final Problems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();

  private YamlMapping(Node node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          problems.add(tuple.getKeyNode().getStartMark(), "a key in " + path + " must be text");
        } else if (entries.putIfAbsent(key.getValue(), tuple) != null) {
          problems.add(key.getStartMark(), "duplicate field " + child(key.getValue()));
        }
      }
    }
  }

  /**
   * The mapping at {@code node}; empty, with a problem, when the node is not a mapping. A null
   * value ({@code automated:}) reads as an empty mapping, as Kubernetes reads it.
   */
  static Optional<YamlMapping> of(Node node, String path, Problems problems) {
    if (node instanceof MappingNode || isNull(node)) {
      return Optional.of(new YamlMapping(node, path, problems));
    }
    problems.add(node.getStartMark(), path + " must be a mapping (key: value), not " + shape(node));
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

  Set<String> keys() {
    return entries.keySet();
  }

  /** The value node of a field, marking it as read. A null value counts as absent. */
  Optional<Node> value(String key) {
    read.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple == null || isNull(tuple.getValueNode())
        ? Optional.empty()
        : Optional.of(tuple.getValueNode());
  }

  /** Where the field's key is, for problems about the field as a whole. */
  Mark keyMark(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? node.getStartMark() : tuple.getKeyNode().getStartMark();
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Optional<String> string(String key) {
    return value(key).flatMap(v -> scalar(v, child(key), "text"));
  }

  String string(String key, String otherwise) {
    return string(key).orElse(otherwise);
  }

  /** A field that must be there; a problem at the mapping naming it when it is not. */
  Optional<String> requiredString(String key, String example) {
    Optional<String> value = string(key);
    if (value.isEmpty() && !entries.containsKey(key)) {
      problems.add(
          node.getStartMark(), "missing required field " + child(key) + " (e.g. " + example + ")");
    } else if (value.isEmpty() || value.get().isBlank()) {
      problems.add(keyMark(key), child(key) + " must not be empty (e.g. " + example + ")");
      return Optional.empty();
    }
    return value;
  }

  Optional<Boolean> bool(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
      return Optional.of(
          Set.of("true", "yes", "on").contains(s.getValue().toLowerCase(Locale.ROOT)));
    }
    // A quoted "true" means what it says; refusing it would only puzzle ("not 'true'"?).
    if (value.get() instanceof ScalarNode s && s.getValue().matches("true|false")) {
      return Optional.of(Boolean.parseBoolean(s.getValue()));
    }
    wrongType(value.get(), child(key), "true or false");
    return Optional.empty();
  }

  boolean bool(String key, boolean otherwise) {
    return bool(key).orElse(otherwise);
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
        // Falls through to the problem below: octal, hex or too large for a count.
      }
    }
    wrongType(value.get(), child(key), "a whole number");
    return Optional.empty();
  }

  Optional<Double> number(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof ScalarNode s
        && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
      try {
        return Optional.of(Double.parseDouble(s.getValue().replace("_", "")));
      } catch (NumberFormatException e) {
        // Falls through: .inf and .nan are YAML floats but not factors anyone means.
      }
    }
    // Argo CD writes backoff.factor as an integer, but a quoted "2" is also seen in the wild.
    if (value.get() instanceof ScalarNode s && s.getValue().matches("\\d+(\\.\\d+)?")) {
      return Optional.of(Double.parseDouble(s.getValue()));
    }
    wrongType(value.get(), child(key), "a number");
    return Optional.empty();
  }

  /** A text value and where it is, for problems about one entry of a list. */
  record Text(String value, Mark mark) {}

  /** A list of text; a single text value is a problem, not a list of one. */
  List<String> strings(String key) {
    return texts(key).stream().map(Text::value).toList();
  }

  /** A list of text with the place of each entry. */
  List<Text> texts(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode seq)) {
      wrongType(value.get(), child(key), "a list of text ([a, b])");
      return List.of();
    }
    List<Text> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      scalar(item, child(key) + "[" + i + "]", "text")
          .ifPresent(v -> out.add(new Text(v, item.getStartMark())));
    }
    return out;
  }

  /** Where the value of a field is (its key's place when it has none). */
  Mark valueMark(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? node.getStartMark() : tuple.getValueNode().getStartMark();
  }

  Map<String, String> stringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    mapping(key)
        .ifPresent(
            m -> {
              for (String k : m.keys()) {
                m.string(k).ifPresent(v -> out.put(k, v));
              }
            });
    return out;
  }

  Optional<YamlMapping> mapping(String key) {
    read.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple == null ? Optional.empty() : of(tuple.getValueNode(), child(key), problems);
  }

  /** The entries of a list of mappings, each with its index in the path. */
  List<YamlMapping> mappings(String key) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode seq)) {
      wrongType(value.get(), child(key), "a list");
      return List.of();
    }
    List<YamlMapping> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      of(seq.getValue().get(i), child(key) + "[" + i + "]", problems).ifPresent(out::add);
    }
    return out;
  }

  /** The value as plain Java (maps, lists, text, numbers, booleans), for free-form values. */
  Optional<Object> plain(String key) {
    return value(key).map(YamlValues::plain);
  }

  /**
   * Reports every field that was not read: as unknown, with the allowed fields and the closest one,
   * or, for a name in {@code unsupported}, as a field of Argo CD's that Tagflow lacks.
   */
  void finish(Collection<String> allowed, Map<String, String> unsupported) {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      String key = e.getKey();
      Mark mark = e.getValue().getKeyNode().getStartMark();
      if (unsupported.containsKey(key)) {
        problems.unsupported(mark, child(key), unsupported.get(key));
      } else if (!read.contains(key) && !allowed.contains(key)) {
        problems.add(mark, unknownField(key, allowed));
      }
    }
  }

  void finish(Collection<String> allowed) {
    finish(allowed, Map.of());
  }

  private String unknownField(String key, Collection<String> allowed) {
    StringBuilder message = new StringBuilder("unknown field '" + key + "' in ");
    message.append(path.isEmpty() ? "the document" : path);
    Suggestion.closest(key, allowed)
        .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
    message
        .append(
            allowed.isEmpty()
                ? " (it takes no fields)"
                : " (allowed: " + String.join(", ", allowed))
        .append(allowed.isEmpty() ? "" : ")");
    return message.toString();
  }

  private Optional<String> scalar(Node value, String where, String expected) {
    if (value instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      return Optional.of(s.getValue());
    }
    if (isNull(value)) {
      return Optional.empty();
    }
    wrongType(value, where, expected);
    return Optional.empty();
  }

  private void wrongType(Node value, String where, String expected) {
    problems.add(value.getStartMark(), where + " must be " + expected + ", not " + shape(value));
  }

  private static String shape(Node node) {
    return switch (node) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode s -> "'" + s.getValue() + "'";
      default -> "this";
    };
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }
}
