package dev.tagflow.app;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Turns YAML nodes into plain Java values (maps, lists, text, numbers, booleans, null). */
public final class YamlValues {

  private YamlValues() {}

  /** The node as plain Java; a null node is {@code null}. */
  public static Object plain(Node node) {
    return switch (node) {
      case MappingNode m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
          String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
          out.put(k, plain(t.getValueNode()));
        }
        yield out;
      }
      case SequenceNode s -> s.getValue().stream().map(YamlValues::plain).toList();
      case ScalarNode s -> scalarValue(s);
      default -> null;
    };
  }

  private static Object scalarValue(ScalarNode s) {
    String text = s.getValue();
    Tag tag = s.getTag();
    try {
      if (tag.equals(Tag.INT)) {
        return Long.parseLong(text.replace("_", ""));
      }
      if (tag.equals(Tag.FLOAT)) {
        return Double.parseDouble(text.replace("_", ""));
      }
    } catch (NumberFormatException e) {
      return text;
    }
    if (tag.equals(Tag.BOOL)) {
      return Set.of("true", "yes", "on").contains(text.toLowerCase(Locale.ROOT));
    }
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    return text;
  }
}
