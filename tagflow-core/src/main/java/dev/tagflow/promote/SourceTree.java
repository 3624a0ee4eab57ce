package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * One YAML document as it is written: each node with where its text starts and ends in the file
 * (character offsets into the Java string), its anchor, and for scalars their style. Built from
 * SnakeYAML's events, so aliases stay aliases and merge keys stay keys: what an editor needs to
 * change one scalar and nothing else.
 */
final class SourceTree {

  /** A node as written. */
  sealed interface Part {
    /** Where its text starts (its anchor or tag, if any) and ends, as offsets into the text. */
    int start();

    int end();

    /** SnakeYAML's mark of its start, for line:column in messages. */
    Mark mark();

    Optional<String> anchor();
  }

  /** A scalar; {@code tag} only when written explicitly ({@code !!str 1.2}). */
  record Scalar(
      String value,
      ScalarStyle style,
      Optional<String> tag,
      Optional<String> anchor,
      int start,
      int end,
      Mark mark)
      implements Part {

    boolean isMergeKey() {
      return style == ScalarStyle.PLAIN && tag.isEmpty() && "<<".equals(value);
    }
  }

  /** A mapping's key and value. */
  record Entry(Part key, Part value) {}

  /** A mapping, block or flow ({@code {a: 1}}). */
  record Mapping(
      List<Entry> entries, boolean flow, Optional<String> anchor, int start, int end, Mark mark)
      implements Part {}

  /** A list, block or flow ({@code [a, b]}). */
  record Sequence(
      List<Part> items, boolean flow, Optional<String> anchor, int start, int end, Mark mark)
      implements Part {}

  /** {@code *name}. */
  record Alias(String name, int start, int end, Mark mark) implements Part {
    @Override
    public Optional<String> anchor() {
      return Optional.empty();
    }
  }

  private final String file;
  private final String text;
  private final Optional<Part> root;
  private final boolean documentStarted;

  private SourceTree(String file, String text, Optional<Part> root, boolean documentStarted) {
    this.file = file;
    this.text = text;
    this.root = root;
    this.documentStarted = documentStarted;
  }

  /**
   * Reads the text, which must hold at most one document.
   *
   * @throws TagflowException (INVALID_INPUT) for text that is not YAML, with file:line:column, or
   *     that holds more than one document
   */
  static SourceTree read(String file, String text, YamlLimits limits) {
    limits.checkLength(file, text);
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit((int) limits.maxFileBytes());
    options.setNestingDepthLimit(limits.maxDepth());
    Offsets offsets = new Offsets(text);
    Builder builder = new Builder(file, offsets, limits.maxDepth());
    try {
      ParserImpl parser = new ParserImpl(new StreamReader(text), options);
      for (Event event = parser.getEvent(); !(event instanceof StreamEndEvent); ) {
        builder.accept(event);
        event = parser.getEvent();
      }
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw TagflowException.invalidInput(
          at(file, at) + ": not valid YAML: " + e.getProblem() + "; fix the file and try again");
    } catch (YAMLException | IllegalArgumentException e) {
      throw TagflowException.invalidInput(
          file + ": not valid YAML: " + e.getMessage() + "; fix the file and try again");
    }
    return new SourceTree(file, text, builder.root(), builder.documents > 0);
  }

  String file() {
    return file;
  }

  String text() {
    return text;
  }

  /** The document's root node; empty for an empty file or a document of only comments. */
  Optional<Part> root() {
    return root;
  }

  /** Whether the text holds a document at all (even an empty one, {@code ---}). */
  boolean hasDocument() {
    return documentStarted;
  }

  /** {@code values.yaml:3:7} for a mark. */
  static String at(String file, Mark mark) {
    return mark == null ? file : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  String at(Part part) {
    return at(file, part.mark());
  }

  /** Where the written content of a node ends: for a block collection, its last child's end. */
  static int contentEnd(Part part) {
    return switch (part) {
      case Mapping m when !m.flow() && !m.entries().isEmpty() -> {
        Entry last = m.entries().getLast();
        yield Math.max(contentEnd(last.key()), contentEnd(last.value()));
      }
      case Sequence s when !s.flow() && !s.items().isEmpty() -> contentEnd(s.items().getLast());
      case Scalar s when s.value().isEmpty() && s.style() == ScalarStyle.PLAIN -> s.start();
      default -> part.end();
    };
  }

  /** SnakeYAML counts code points; the editor works on Java's chars. */
  private static final class Offsets {
    private final String text;
    private final boolean simple;

    Offsets(String text) {
      this.text = text;
      this.simple = text.codePoints().count() == text.length();
    }

    int of(Mark mark) {
      return simple ? mark.getIndex() : text.offsetByCodePoints(0, mark.getIndex());
    }
  }

  /** Nodes from events: a stack of open collections. */
  private static final class Builder {
    private final String file;
    private final Offsets offsets;
    private final int maxDepth;
    private final Deque<Open> open = new ArrayDeque<>();
    private Part root;
    int documents;

    Builder(String file, Offsets offsets, int maxDepth) {
      this.file = file;
      this.offsets = offsets;
      this.maxDepth = maxDepth;
    }

    Optional<Part> root() {
      return Optional.ofNullable(root);
    }

    void accept(Event event) {
      switch (event) {
        case DocumentStartEvent start -> {
          if (++documents > 1) {
            throw TagflowException.invalidInput(
                at(file, start.getStartMark())
                    + ": a second YAML document; a values file holds one document, remove the"
                    + " '---' and what follows or move it to its own file");
          }
        }
        case ScalarEvent scalar ->
            add(
                new Scalar(
                    scalar.getValue(),
                    scalar.getScalarStyle(),
                    explicitTag(scalar),
                    Optional.ofNullable(scalar.getAnchor()),
                    offsets.of(scalar.getStartMark()),
                    offsets.of(scalar.getEndMark()),
                    scalar.getStartMark()));
        case AliasEvent alias ->
            add(
                new Alias(
                    alias.getAnchor(),
                    offsets.of(alias.getStartMark()),
                    offsets.of(alias.getEndMark()),
                    alias.getStartMark()));
        case CollectionStartEvent start -> {
          if (open.size() >= maxDepth) {
            // SnakeYAML's own depth limit is its composer's; events are not checked.
            throw TagflowException.invalidInput(
                at(file, start.getStartMark())
                    + ": mappings and lists nest more than "
                    + maxDepth
                    + " levels deep here, more than Tagflow reads");
          }
          open.push(new Open(start, new ArrayList<>()));
        }
        case CollectionEndEvent end -> {
          Open closed = open.pop();
          CollectionStartEvent start = closed.start();
          boolean flow = start.isFlow();
          int from = offsets.of(start.getStartMark());
          int to = offsets.of(end.getEndMark());
          Optional<String> anchor = Optional.ofNullable(((NodeEvent) start).getAnchor());
          if (start instanceof MappingStartEvent) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i + 1 < closed.children().size(); i += 2) {
              entries.add(new Entry(closed.children().get(i), closed.children().get(i + 1)));
            }
            add(new Mapping(entries, flow, anchor, from, to, start.getStartMark()));
          } else {
            add(new Sequence(closed.children(), flow, anchor, from, to, start.getStartMark()));
          }
        }
        default -> {
          // Stream and document ends carry nothing an edit needs.
        }
      }
    }

    private void add(Part part) {
      if (open.isEmpty()) {
        root = part;
      } else {
        open.peek().children().add(part);
      }
    }

    private static Optional<String> explicitTag(ScalarEvent scalar) {
      return Optional.ofNullable(scalar.getTag());
    }
  }

  private record Open(CollectionStartEvent start, List<Part> children) {}
}
