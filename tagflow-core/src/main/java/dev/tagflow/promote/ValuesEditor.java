package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.promote.SourceTree.Alias;
import dev.tagflow.promote.SourceTree.Entry;
import dev.tagflow.promote.SourceTree.Mapping;
import dev.tagflow.promote.SourceTree.Part;
import dev.tagflow.promote.SourceTree.Scalar;
import dev.tagflow.promote.SourceTree.Sequence;
import dev.tagflow.yaml.YamlLimits;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Sets a value in a values file by rewriting only that scalar's text: comments, key order, quoting,
 * indentation, flow or block style, anchors and line endings of everything else stay byte for byte.
 * A missing key is added as a new line (or a new entry of a flow mapping) after its siblings, in
 * the file's indentation and line endings.
 *
 * <p>The scalar keeps its quoting when the new value allows it; a plain scalar becomes quoted when
 * its new text would read as another type ({@code 1.10} as a number) or not parse, except that an
 * integer stays an integer, and a boolean a boolean, when the new value is one too (a float never
 * does: {@code 1.10} would read as 1.1). Every result is read back before it is answered: the path
 * must hold exactly the new value.
 *
 * <p>It refuses, naming file:line:column, to edit through an alias ({@code *base}), inside an
 * anchored node ({@code &base}, whose aliases would change too), through a merge key ({@code <<}),
 * a block scalar ({@code |}, {@code >}), or a key written twice.
 */
public final class ValuesEditor {

  /** The longest value set: an image reference with a digest is about 150 characters. */
  static final int MAX_VALUE_LENGTH = 8192;

  private final YamlLimits limits;
  private final ScalarText scalars = new ScalarText();

  public ValuesEditor(YamlLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * The result of an edit.
   *
   * @param text the file's new text (the same text when nothing changed)
   * @param before the value the path held, when it held a scalar
   * @param changed whether the text changed
   */
  public record Edited(String text, Optional<String> before, boolean changed) {}

  /**
   * The scalar at a path, if the file has one there.
   *
   * @throws TagflowException (INVALID_INPUT) when the file is not YAML or the path goes through an
   *     alias, a merge key or a value that is not a mapping
   */
  public Optional<String> get(String file, String text, YamlPath path) {
    return switch (locate(SourceTree.read(file, text, limits), path)) {
      case Found found -> Optional.of(found.scalar().value());
      case Missing missing -> Optional.empty();
    };
  }

  /**
   * Sets the value at a path.
   *
   * @throws TagflowException (INVALID_INPUT) naming file:line:column when the file is not YAML, or
   *     the edit would go through an alias, an anchor, a merge key or a block scalar
   */
  public Edited set(String file, String text, YamlPath path, String value) {
    Objects.requireNonNull(value, "value");
    if (value.length() > MAX_VALUE_LENGTH) {
      throw TagflowException.invalidInput(
          "the value for "
              + path
              + " is "
              + value.length()
              + " characters long; Tagflow sets values of up to "
              + MAX_VALUE_LENGTH);
    }
    SourceTree tree = SourceTree.read(file, text, limits);
    return switch (locate(tree, path)) {
      case Found found -> replace(tree, path, found, value);
      case Missing missing -> insert(tree, path, missing, value);
    };
  }

  // --- finding the path ---

  private sealed interface Located {}

  /** The scalar at the path, and the key it is the value of (none for a list item). */
  private record Found(Scalar scalar, Optional<Part> key) implements Located {}

  /**
   * The path ends early: {@code parent} (empty for an empty file) lacks the key at {@code from}.
   */
  private record Missing(Optional<Mapping> parent, int from) implements Located {}

  private Located locate(SourceTree tree, YamlPath path) {
    Optional<Part> root = tree.root();
    if (root.isEmpty() || isEmpty(root.get())) {
      return new Missing(Optional.empty(), 0);
    }
    Part node = root.get();
    Optional<Part> key = Optional.empty();
    List<YamlPath.Segment> segments = path.segments();
    for (int i = 0; i < segments.size(); i++) {
      String here = i == 0 ? "the file's top level" : path.prefix(i - 1);
      refuseSharedNode(tree, node, here);
      switch (segments.get(i)) {
        case YamlPath.Key k -> {
          if (!(node instanceof Mapping mapping)) {
            throw refusal(
                tree, node, here + " is " + shape(node) + ", not a mapping with " + k.name());
          }
          List<Entry> matches =
              mapping.entries().stream()
                  .filter(
                      e ->
                          e.key() instanceof Scalar s
                              && !s.isMergeKey()
                              && s.value().equals(k.name()))
                  .toList();
          if (matches.size() > 1) {
            throw refusal(
                tree,
                matches.get(1).key(),
                path.prefix(i)
                    + " is written twice (also at "
                    + tree.at(matches.get(0).key())
                    + "); remove one");
          }
          if (matches.isEmpty()) {
            Optional<Entry> merge =
                mapping.entries().stream()
                    .filter(e -> e.key() instanceof Scalar s && s.isMergeKey())
                    .findFirst();
            if (merge.isPresent()) {
              throw refusal(
                  tree,
                  merge.get().key(),
                  here
                      + " takes keys from a merge key (<<), and Tagflow does not edit through one: write "
                      + k.name()
                      + " out in this mapping");
            }
            return new Missing(Optional.of(mapping), i);
          }
          key = Optional.of(matches.get(0).key());
          node = matches.get(0).value();
        }
        case YamlPath.Index index -> {
          if (!(node instanceof Sequence list)) {
            throw refusal(tree, node, here + " is " + shape(node) + ", not a list");
          }
          if (index.position() >= list.items().size()) {
            throw refusal(
                tree,
                node,
                here
                    + " has "
                    + list.items().size()
                    + " items, so there is no item "
                    + index.position());
          }
          key = Optional.empty();
          node = list.items().get(index.position());
        }
      }
    }
    refuseSharedNode(tree, node, path.toString());
    if (!(node instanceof Scalar scalar)) {
      throw refusal(tree, node, path + " is " + shape(node) + ", not a single value");
    }
    return new Found(scalar, key);
  }

  private static void refuseSharedNode(SourceTree tree, Part node, String here) {
    if (node instanceof Alias alias) {
      throw refusal(
          tree,
          node,
          here
              + " is the alias *"
              + alias.name()
              + ", and editing it would change every use of &"
              + alias.name()
              + ": write the value out here instead of the alias");
    }
    if (node.anchor().isPresent()) {
      throw refusal(
          tree,
          node,
          here
              + " is anchored as &"
              + node.anchor().get()
              + ", and editing it would also change every *"
              + node.anchor().get()
              + ": remove the anchor or edit the value where it is used");
    }
  }

  // --- changing a scalar ---

  private Edited replace(SourceTree tree, YamlPath path, Found found, String value) {
    Scalar old = found.scalar();
    if (old.style() == ScalarStyle.LITERAL || old.style() == ScalarStyle.FOLDED) {
      throw refusal(
          tree,
          old,
          path + " is a block scalar (| or >); write it as a one-line value, then promote again");
    }
    Tag expected = expectedType(old, value);
    if (old.value().equals(value) && readsAs(old).equals(expected)) {
      return new Edited(tree.text(), Optional.of(old.value()), false);
    }
    String text = tree.text();
    int from;
    int to;
    String lead = "";
    if (isEmpty(old)) {
      // "tag:" with nothing after it: the scalar is written right after the key's colon.
      Part key =
          found
              .key()
              .orElseThrow(
                  () -> refusal(tree, old, path + " is an empty list item; write a value"));
      from = text.indexOf(':', key.end());
      if (from < 0) {
        throw refusal(tree, key, path + " has no ':' after its key");
      }
      from = to = from + 1;
      lead = " ";
    } else {
      from = valueStart(text, old);
      to = old.end();
    }
    for (ScalarStyle style : preferences(old.style())) {
      Optional<String> written = scalars.write(value, style);
      if (written.isEmpty()) {
        continue;
      }
      String candidate = text.substring(0, from) + lead + written.get() + text.substring(to);
      if (readsBack(tree.file(), candidate, path, value, old.tag(), expected)) {
        return new Edited(candidate, Optional.of(old.value()), true);
      }
    }
    throw cannotWrite(tree, path, value);
  }

  /** What the new scalar must read as: the old type when the new value is of it too, else str. */
  private Tag expectedType(Scalar old, String value) {
    if (old.tag().isPresent()) {
      return new Tag(old.tag().get());
    }
    // Only values that read back exactly as written keep their type: 1.10 as a float is 1.1.
    Tag was = readsAs(old);
    boolean sameInteger = was.equals(Tag.INT) && value.matches("-?(0|[1-9][0-9]{0,17})");
    boolean sameBoolean = was.equals(Tag.BOOL) && (value.equals("true") || value.equals("false"));
    return sameInteger || sameBoolean ? was : Tag.STR;
  }

  private Tag readsAs(Scalar scalar) {
    if (scalar.tag().isPresent()) {
      return new Tag(scalar.tag().get());
    }
    return scalar.style() == ScalarStyle.PLAIN ? scalars.plainType(scalar.value()) : Tag.STR;
  }

  private static List<ScalarStyle> preferences(ScalarStyle old) {
    return switch (old) {
      case SINGLE_QUOTED -> List.of(ScalarStyle.SINGLE_QUOTED, ScalarStyle.DOUBLE_QUOTED);
      case DOUBLE_QUOTED -> List.of(ScalarStyle.DOUBLE_QUOTED);
      default -> List.of(ScalarStyle.PLAIN, ScalarStyle.DOUBLE_QUOTED, ScalarStyle.SINGLE_QUOTED);
    };
  }

  /** Where a scalar's own text starts: after its tag ({@code !!str}) when it has one. */
  private static int valueStart(String text, Scalar scalar) {
    int at = scalar.start();
    if (scalar.tag().isPresent()) {
      while (at < scalar.end() && text.charAt(at) == '!') {
        while (at < scalar.end() && !Character.isWhitespace(text.charAt(at))) {
          at++;
        }
        while (at < scalar.end() && Character.isWhitespace(text.charAt(at))) {
          at++;
        }
      }
    }
    return at;
  }

  // --- adding keys ---

  private Edited insert(SourceTree tree, YamlPath path, Missing missing, String value) {
    List<YamlPath.Segment> rest = path.segments().subList(missing.from(), path.segments().size());
    List<String> keys =
        rest.stream()
            .map(
                s ->
                    switch (s) {
                      case YamlPath.Key k -> k.name();
                      case YamlPath.Index i ->
                          throw TagflowException.invalidInput(
                              tree.file()
                                  + ": "
                                  + path
                                  + " does not exist, and Tagflow adds mapping keys, not list items:"
                                  + " add the list item to the file first");
                    })
            .toList();
    String text = tree.text();
    String newline = text.contains("\r\n") ? "\r\n" : "\n";
    for (ScalarStyle style : List.of(ScalarStyle.PLAIN, ScalarStyle.DOUBLE_QUOTED)) {
      Optional<String> written = scalars.write(value, style);
      if (written.isEmpty()) {
        continue;
      }
      String candidate =
          missing.parent().isPresent() && missing.parent().get().flow()
              ? intoFlow(text, missing.parent().get(), keys, written.get())
              : intoBlock(tree, missing.parent(), keys, written.get(), newline);
      if (readsBack(tree.file(), candidate, path, value, Optional.empty(), Tag.STR)) {
        return new Edited(candidate, Optional.empty(), true);
      }
    }
    throw cannotWrite(tree, path, value);
  }

  private String intoFlow(String text, Mapping parent, List<String> keys, String value) {
    StringBuilder entry = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      entry.append(key(keys.get(i))).append(": ");
      entry.append(i == keys.size() - 1 ? value : "{");
    }
    entry.append("}".repeat(keys.size() - 1));
    if (parent.entries().isEmpty()) {
      int brace = text.lastIndexOf('}', parent.end() - 1);
      return text.substring(0, brace) + entry + text.substring(brace);
    }
    int after = parent.entries().getLast().value().end();
    return text.substring(0, after) + ", " + entry + text.substring(after);
  }

  private String intoBlock(
      SourceTree tree, Optional<Mapping> parent, List<String> keys, String value, String newline) {
    String text = tree.text();
    int indent = parent.map(p -> p.entries().getFirst().key().mark().getColumn()).orElse(0);
    int step = indentStep(tree.root());
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      lines.append(" ".repeat(indent + step * i)).append(key(keys.get(i))).append(':');
      lines.append(i == keys.size() - 1 ? " " + value : "").append(newline);
    }
    int at = parent.map(p -> lineAfter(text, SourceTree.contentEnd(p))).orElse(text.length());
    boolean needsBreak = at > 0 && text.charAt(at - 1) != '\n';
    return text.substring(0, at) + (needsBreak ? newline : "") + lines + text.substring(at);
  }

  /** The start of the line after the one {@code offset} is on, or the end of the text. */
  private static int lineAfter(String text, int offset) {
    if (offset > 0 && text.charAt(offset - 1) == '\n') {
      return offset;
    }
    int next = text.indexOf('\n', offset);
    return next < 0 ? text.length() : next + 1;
  }

  /** How far the file indents a nested mapping, from its first one; 2 when it has none. */
  private static int indentStep(Optional<Part> root) {
    if (root.orElse(null) instanceof Mapping mapping && !mapping.flow()) {
      for (Entry entry : mapping.entries()) {
        if (entry.value() instanceof Mapping child && !child.flow() && !child.entries().isEmpty()) {
          int step =
              child.entries().getFirst().key().mark().getColumn() - entry.key().mark().getColumn();
          if (step > 0) {
            return step;
          }
        }
      }
    }
    return 2;
  }

  private String key(String name) {
    return scalars
        .write(name, ScalarStyle.PLAIN)
        .filter(plain -> scalars.plainType(plain).equals(Tag.STR))
        .orElseGet(() -> scalars.write(name, ScalarStyle.DOUBLE_QUOTED).orElseThrow());
  }

  // --- checking ---

  /** Whether the path in the new text holds exactly the value, of the expected type. */
  private boolean readsBack(
      String file, String text, YamlPath path, String value, Optional<String> tag, Tag expected) {
    try {
      SourceTree tree = SourceTree.read(file, text, limits);
      if (!(locate(tree, path) instanceof Found found)) {
        return false;
      }
      Scalar scalar = found.scalar();
      return scalar.value().equals(value)
          && scalar.tag().equals(tag)
          && readsAs(scalar).equals(expected);
    } catch (TagflowException notThere) {
      return false;
    }
  }

  private static boolean isEmpty(Part part) {
    return part instanceof Scalar s
        && s.value().isEmpty()
        && s.style() == ScalarStyle.PLAIN
        && s.tag().isEmpty()
        && s.anchor().isEmpty();
  }

  private static String shape(Part part) {
    return switch (part) {
      case Mapping m -> "a mapping";
      case Sequence s -> "a list";
      case Scalar s when isEmpty(s) -> "empty (null)";
      case Scalar s -> "the value '" + s.value() + "'";
      case Alias a -> "the alias *" + a.name();
    };
  }

  private static TagflowException refusal(SourceTree tree, Part at, String message) {
    return TagflowException.invalidInput(tree.at(at) + ": " + message);
  }

  private static TagflowException cannotWrite(SourceTree tree, YamlPath path, String value) {
    return TagflowException.failed(
        tree.file()
            + ": could not write "
            + path
            + " = "
            + value
            + " so that it reads back as written; nothing was changed. Please report this file");
  }
}
