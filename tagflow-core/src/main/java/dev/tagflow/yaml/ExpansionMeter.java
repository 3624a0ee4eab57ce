package dev.tagflow.yaml;

import dev.tagflow.TagflowException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Counts what the events of one YAML file expand to once aliases are resolved, without resolving
 * them: every anchored node's expanded size is known when it closes, so an alias adds that size in
 * one step. The first event that passes a limit fails, with its file:line:column.
 */
final class ExpansionMeter {

  /** What a node expands to: its nodes, its characters, and how many levels of nesting it adds. */
  private record Size(long nodes, long chars, int height) {}

  /** A mapping or list not closed yet, adding up what it holds. */
  private static final class Open {
    final String anchor;
    long nodes = 1;
    long chars;
    int height = 1;

    Open(String anchor) {
      this.anchor = anchor;
    }

    void add(Size size) {
      nodes += size.nodes();
      chars += size.chars();
      height = Math.max(height, size.height() + 1);
    }
  }

  private final String file;
  private final YamlLimits limits;
  private final int lineOffset;
  private final Map<String, Size> anchors = new HashMap<>();
  private final Set<String> openAnchors = new HashSet<>();
  private final Deque<Open> open = new ArrayDeque<>();
  private long nodes;
  private long chars;
  private int aliases;

  /**
   * @param lineOffset lines before the text in its file, for text that is part of a file
   */
  ExpansionMeter(String file, YamlLimits limits, int lineOffset) {
    this.file = file;
    this.limits = limits;
    this.lineOffset = lineOffset;
  }

  /**
   * Takes the next event of the stream as read (aliases not resolved).
   *
   * @throws TagflowException (INVALID_INPUT) when the file passes a limit here, or an alias names
   *     no anchor or the node it is in
   */
  void observe(Event event) {
    switch (event) {
      case DocumentStartEvent start -> anchors.clear(); // anchors do not cross "---"
      case ScalarEvent scalar -> {
        Size size = new Size(1, scalar.getValue().length(), 0);
        add(size, scalar, null);
        if (scalar.getAnchor() != null) {
          anchors.put(scalar.getAnchor(), size);
        }
      }
      case AliasEvent alias -> add(resolve(alias), alias, alias.getAnchor());
      case CollectionStartEvent start -> {
        if (open.size() + 1 > limits.maxDepth()) {
          throw tooDeep(start, null);
        }
        count(1, 0, start, null);
        open.push(new Open(start.getAnchor()));
        if (start.getAnchor() != null) {
          openAnchors.add(start.getAnchor());
        }
      }
      case CollectionEndEvent end -> {
        Open closed = open.pop();
        Size size = new Size(closed.nodes, closed.chars, closed.height);
        if (closed.anchor != null) {
          openAnchors.remove(closed.anchor);
          anchors.put(closed.anchor, size);
        }
        if (!open.isEmpty()) {
          open.peek().add(size);
        }
      }
      default -> {}
    }
  }

  private Size resolve(AliasEvent alias) {
    String name = alias.getAnchor();
    if (++aliases > limits.maxAliases()) {
      throw TagflowException.invalidInput(
          at(alias.getStartMark())
              + "more than "
              + String.format("%,d", limits.maxAliases())
              + " aliases in one file, the limit Tagflow reads; write the values out instead");
    }
    if (openAnchors.contains(name)) {
      throw TagflowException.invalidInput(
          at(alias.getStartMark())
              + "the alias *"
              + name
              + " is inside the node &"
              + name
              + " it names, which would make that node endless; remove the alias");
    }
    Size size = anchors.get(name);
    if (size == null) {
      throw TagflowException.invalidInput(
          at(alias.getStartMark())
              + "the alias *"
              + name
              + " names no anchor before it in this document; write &"
              + name
              + " on the node it stands for, above it (anchors do not carry across ---)");
    }
    return size;
  }

  /** Adds a scalar or an alias's expansion to what is open, failing when a limit is passed. */
  private void add(Size size, NodeEvent event, String alias) {
    if (open.size() + size.height() > limits.maxDepth()) {
      throw tooDeep(event, alias);
    }
    count(size.nodes(), size.chars(), event, alias);
    if (!open.isEmpty()) {
      open.peek().add(size);
    }
  }

  private void count(long moreNodes, long moreChars, NodeEvent event, String alias) {
    nodes += moreNodes;
    chars += moreChars;
    if (nodes > limits.maxNodes()) {
      throw tooLarge(event, alias, String.format("%,d nodes", limits.maxNodes()));
    }
    if (chars > limits.maxTextChars()) {
      throw tooLarge(event, alias, String.format("%,d characters of text", limits.maxTextChars()));
    }
  }

  private TagflowException tooLarge(NodeEvent event, String alias, String limit) {
    String message =
        alias == null
            ? "the YAML holds more than "
                + limit
                + ", the limit Tagflow reads from one file; split it into smaller files"
            : "the alias *"
                + alias
                + " makes the YAML expand to more than "
                + limit
                + ", the limit Tagflow reads from one file (aliases of aliases multiply, as in a"
                + " \"billion laughs\" bomb); write the values out instead of aliasing them";
    return TagflowException.invalidInput(at(event.getStartMark()) + message);
  }

  private TagflowException tooDeep(NodeEvent event, String alias) {
    return TagflowException.invalidInput(
        at(event.getStartMark())
            + (alias == null ? "the YAML" : "the alias *" + alias)
            + " nests mappings and lists more than "
            + limits.maxDepth()
            + " levels deep, the limit Tagflow reads; flatten it");
  }

  private String at(Mark mark) {
    return mark == null
        ? file + ": "
        : file + ":" + (mark.getLine() + 1 + lineOffset) + ":" + (mark.getColumn() + 1) + ": ";
  }
}
