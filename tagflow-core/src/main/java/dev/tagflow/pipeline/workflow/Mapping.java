package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Suggestion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One mapping of a workflow file, read key by key; {@link #finish} names every key nobody read,
 * with the closest allowed one. Keys are taken as written, so {@code on} stays {@code on} (YAML 1.1
 * would make it {@code true}, which is what GitHub's own parser avoids too).
 */
final class Mapping {

  private final Node node;
  private final String path;
  private final FileProblems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();

  private Mapping(Node node, String path, FileProblems problems) {
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
              "duplicate key " + FileProblems.quoted(key.getValue()) + " in " + where());
        }
      }
    }
  }

  /** The mapping at the node; empty with a problem when it is another shape. Null reads as {}. */
  static Optional<Mapping> of(Node node, String path, FileProblems problems) {
    if (node instanceof MappingNode || isNull(node)) {
      return Optional.of(new Mapping(node, path, problems));
    }
    problems.add(
        node.getStartMark(),
        (path.isEmpty() ? problems.document() : path)
            + " must be a mapping (key: value), not "
            + shape(node));
    return Optional.empty();
  }

  String path() {
    return path;
  }

  Position at() {
    return Position.of(node.getStartMark());
  }

  Set<String> keys() {
    return entries.keySet();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Position keyAt(String key) {
    NodeTuple tuple = entries.get(key);
    return Position.of(tuple == null ? node.getStartMark() : tuple.getKeyNode().getStartMark());
  }

  /** The value of a key, marking it read; a null value counts as absent. */
  Optional<Node> node(String key) {
    read.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple == null || isNull(tuple.getValueNode())
        ? Optional.empty()
        : Optional.of(tuple.getValueNode());
  }

  /** The value of a key whatever it is, null included, marking it read. */
  Optional<Node> raw(String key) {
    read.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple == null ? Optional.empty() : Optional.of(tuple.getValueNode());
  }

  /** A text value (numbers and booleans as written); a mapping or list is a problem. */
  Optional<Text> text(String key) {
    return node(key).flatMap(value -> text(value, child(key), problems));
  }

  /** A mapping of names to text values ({@code env}, {@code with}, {@code outputs}). */
  Map<String, Text> texts(String key) {
    Map<String, Text> out = new LinkedHashMap<>();
    node(key)
        .flatMap(value -> of(value, child(key), problems))
        .ifPresent(
            m -> {
              for (String name : m.keys()) {
                Node value = m.raw(name).orElseThrow();
                if (isNull(value)) {
                  out.put(name, new Text("", Position.of(value.getStartMark())));
                } else {
                  text(value, m.child(name), problems).ifPresent(t -> out.put(name, t));
                }
              }
            });
    return out;
  }

  /** A text or a list of texts ({@code needs: build} or {@code needs: [build, test]}). */
  List<Text> textOrList(String key) {
    Optional<Node> value = node(key);
    if (value.isEmpty()) {
      return List.of();
    }
    if (value.get() instanceof SequenceNode seq) {
      List<Text> out = new ArrayList<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        text(seq.getValue().get(i), child(key) + "[" + i + "]", problems).ifPresent(out::add);
      }
      return out;
    }
    return text(value.get(), child(key), problems).map(List::of).orElse(List.of());
  }

  Optional<Mapping> mapping(String key) {
    return node(key).flatMap(value -> of(value, child(key), problems));
  }

  /** The entries of a list of mappings. */
  List<Mapping> mappings(String key) {
    Optional<Node> value = node(key);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!(value.get() instanceof SequenceNode seq)) {
      problems.add(
          value.get().getStartMark(), child(key) + " must be a list, not " + shape(value.get()));
      return List.of();
    }
    List<Mapping> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      of(seq.getValue().get(i), child(key) + "[" + i + "]", problems).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Names every key not read and not in {@code allowed} (keys read are allowed by reading them),
   * with the closest allowed one.
   */
  void finish(Collection<String> allowed) {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      String key = e.getKey();
      if (read.contains(key) || allowed.contains(key)) {
        continue;
      }
      StringBuilder message =
          new StringBuilder("unknown key " + FileProblems.quoted(key) + " in " + where());
      Suggestion.closest(key, allowed)
          .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
      message.append(" (allowed: ").append(String.join(", ", allowed)).append(")");
      problems.add(e.getValue().getKeyNode().getStartMark(), message.toString());
    }
  }

  private String where() {
    return path.isEmpty() ? problems.document() : path;
  }

  static Optional<Text> text(Node value, String where, FileProblems problems) {
    if (value instanceof ScalarNode s) {
      return isNull(s)
          ? Optional.empty()
          : Optional.of(new Text(s.getValue(), Position.of(s.getStartMark())));
    }
    problems.add(value.getStartMark(), where + " must be text, not " + shape(value));
    return Optional.empty();
  }

  static String shape(Node node) {
    return switch (node) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode s -> FileProblems.quoted(s.getValue());
      default -> "this";
    };
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }
}
