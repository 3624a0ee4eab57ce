package dev.tagflow.yaml;

import dev.tagflow.JacksonMessages;
import dev.tagflow.NodeText;
import dev.tagflow.TagflowException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * YAML as Jackson trees, within {@link YamlLimits}: aliases resolved to the values they stand for,
 * merge keys ({@code <<: *base}) merged, and every document with its line. Scalars are typed as
 * Jackson 2 typed them, YAML 1.1's forms ({@link ScalarTyping}). The trees are built from
 * SnakeYAML's events here rather than by Jackson's YAML parser: Jackson 3's reads YAML 1.2 with
 * another SnakeYAML, and would neither type nor refuse files as {@link YamlComposer} does.
 *
 * <p>Every failure is a {@link TagflowException} (INVALID_INPUT) naming file:line:column: invalid
 * YAML, a duplicate key (when refused), or a limit passed.
 *
 * <p>Thread-safe.
 */
public final class YamlReader {

  private final YamlLimits limits;
  private final boolean refuseDuplicateKeys;
  private final ScalarTyping typing;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  /**
   * @param refuseDuplicateKeys refuse a key written twice in one mapping, rather than keep the last
   */
  public YamlReader(YamlLimits limits, boolean refuseDuplicateKeys) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.refuseDuplicateKeys = refuseDuplicateKeys;
    this.typing = new ScalarTyping(limits.streamReadConstraints());
  }

  public YamlLimits limits() {
    return limits;
  }

  /** Every document of a file, which is refused by its size before it is read. */
  public List<YamlDocument> read(Path file) {
    return read(file.toString(), limits.readFile(file));
  }

  /** Every document of a text; {@code file} names it in messages. */
  public List<YamlDocument> read(String file, String text) {
    return read(file, text, 0);
  }

  /**
   * Every document of a text that is part of a file.
   *
   * @param lineOffset lines of the file before the text, so messages name the file's lines
   */
  public List<YamlDocument> read(String file, String text, int lineOffset) {
    limits.checkLength(file, text);
    List<YamlDocument> documents = new ArrayList<>();
    AliasResolvingEvents events =
        new AliasResolvingEvents(
            text, limits.loaderOptions(), new ExpansionMeter(file, limits, lineOffset));
    try {
      for (Event event = content(events); event != null; event = content(events)) {
        int line = lineOffset + Math.max(1, event.getStartMark().getLine() + 1);
        documents.add(
            new YamlDocument(documents.size(), line, value(event, events, file, lineOffset)));
      }
    } catch (ParseFailure e) {
      throw syntaxError(file, "YAML", e.line(), e.column(), e.getMessage(), e, lineOffset);
    } catch (JacksonException e) { // a number longer than Jackson's limit on numbers
      throw syntaxError(file, "YAML", e, lineOffset);
    }
    return documents;
  }

  /** The next event that starts a value, past stream and document markers; null at the end. */
  private static Event content(AliasResolvingEvents events) {
    for (Event event = events.next(); event != null; event = events.next()) {
      if (event instanceof ScalarEvent
          || event instanceof MappingStartEvent
          || event instanceof SequenceStartEvent) {
        return event;
      }
    }
    return null;
  }

  /**
   * Counts what a text expands to, aliases resolved, without building anything, and refuses it past
   * the limits; for YAML another program reads (Helm, kustomize), before it does. Whether the text
   * is valid YAML is left to that program, which may read what SnakeYAML does not.
   *
   * @throws TagflowException (INVALID_INPUT) naming file:line:column and the limit passed
   */
  public void checkLimits(String file, String text) {
    limits.checkLength(file, text);
    ExpansionMeter meter = new ExpansionMeter(file, limits, 0);
    Parser events = new ParserImpl(new StreamReader(text), limits.loaderOptions());
    try {
      while (!events.checkEvent(Event.ID.StreamEnd)) {
        meter.observe(events.getEvent());
      }
    } catch (YAMLException | IllegalArgumentException notOurs) {
      // Invalid YAML costs nothing more than its size; the program that reads it will say why.
      // (SnakeYAML fails on a few malformed texts with an exception of the JDK's: an escape of
      // hexadecimal digits cut short at the end of the text is a NumberFormatException.)
    }
  }

  /** The first document's content; a missing node when the text holds no document. */
  public JsonNode readFirst(String file, String text) {
    List<YamlDocument> documents = read(file, text);
    return documents.isEmpty() ? MissingNode.getInstance() : documents.getFirst().value();
  }

  /**
   * The value that starts with {@code event}, read to its end; the depth limit bounds recursion.
   */
  private JsonNode value(Event event, AliasResolvingEvents events, String file, int lineOffset) {
    return switch (event) {
      case MappingStartEvent start -> mapping(events, file, lineOffset);
      case SequenceStartEvent start -> {
        ArrayNode list = nodes.arrayNode();
        for (Event item = events.next();
            !(item instanceof SequenceEndEvent);
            item = events.next()) {
          list.add(value(item, events, file, lineOffset));
        }
        yield list;
      }
      case ScalarEvent scalar -> {
        JsonNode typed = typing.type(scalar);
        if (typed == null) {
          // Jackson 2 ended the stream early on a few scalars it could not type; never a crash,
          // still an error.
          Mark at = scalar.getEndMark();
          throw TagflowException.invalidInput(
              file
                  + ":"
                  + (at.getLine() + 1 + lineOffset)
                  + ":"
                  + Math.max(1, at.getColumn() + 1)
                  + ": invalid YAML: the text ends inside a value; check the value at this place");
        }
        yield typed;
      }
      default ->
          throw new IllegalStateException("a YAML value cannot start with " + event); // parser bug
    };
  }

  /**
   * A mapping, with what its merge keys name merged in: its own keys win over merged ones, and an
   * earlier merged mapping over a later one, as YAML defines it.
   */
  private ObjectNode mapping(AliasResolvingEvents events, String file, int lineOffset) {
    ObjectNode mapping = nodes.objectNode();
    List<ObjectNode> merged = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Event event = events.next(); !(event instanceof MappingEndEvent); event = events.next()) {
      if (!(event instanceof ScalarEvent scalar)) {
        // Worded as Jackson 2 worded it: a mapping or a list as a key.
        throw new ParseFailure(
            "Expected a field name (Scalar value in YAML), got this instead: " + event,
            event.getEndMark());
      }
      String key = scalar.getValue();
      if (refuseDuplicateKeys && !keys.add(key)) {
        throw new ParseFailure("Duplicate field '" + key + "'", scalar.getEndMark());
      }
      boolean merge = scalar.isPlain() && scalar.getTag() == null && "<<".equals(key);
      Mark at = scalar.getStartMark();
      JsonNode value = value(events.next(), events, file, lineOffset);
      if (!merge) {
        mapping.set(key, value); // a duplicate, when not refused: the last wins
      } else if (value instanceof ObjectNode one) {
        merged.add(one);
      } else if (value instanceof ArrayNode several && allMappings(several)) {
        several.forEach(m -> merged.add((ObjectNode) m));
      } else {
        throw TagflowException.invalidInput(
            file
                + ":"
                + (at.getLine() + 1 + lineOffset)
                + ":"
                + (at.getColumn() + 1)
                + ": the merge key << takes a mapping or a list of mappings (<<: *defaults, or"
                + " <<: [*a, *b]), not "
                + describe(value));
      }
    }
    for (ObjectNode source : merged) {
      source
          .properties()
          .forEach(
              field -> {
                if (!mapping.has(field.getKey())) {
                  mapping.set(field.getKey(), field.getValue());
                }
              });
    }
    return mapping;
  }

  private static boolean allMappings(ArrayNode list) {
    for (JsonNode item : list) {
      if (!item.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static String describe(JsonNode value) {
    return value.isArray() ? "a list holding other values" : "'" + NodeText.of(value) + "'";
  }

  /**
   * A syntax error Jackson found in {@code file} (YAML or JSON, as {@code language} says) as one
   * {@code file:line:column: invalid <language>: …} message; {@code offset} lines come before the
   * text that was parsed.
   */
  public static TagflowException syntaxError(
      String file, String language, JacksonException e, int offset) {
    TokenStreamLocation where = e.getLocation();
    return syntaxError(
        file,
        language,
        where == null ? 0 : where.getLineNr(),
        where == null ? 0 : where.getColumnNr(),
        JacksonMessages.of(e),
        e,
        offset);
  }

  private static TagflowException syntaxError(
      String file,
      String language,
      int line,
      int column,
      String original,
      Throwable cause,
      int offset) {
    String position = line < 1 ? "" : ":" + (line + offset) + ":" + Math.max(1, column);
    // SnakeYAML's message repeats positions and quotes the source on indented lines; keep the rest.
    String message =
        original
            .lines()
            .filter(text -> !text.isBlank() && !Character.isWhitespace(text.charAt(0)))
            .map(String::strip)
            .collect(Collectors.joining(": "));
    return new TagflowException(
        TagflowException.Reason.INVALID_INPUT,
        file + position + ": invalid " + language + ": " + message,
        cause);
  }
}
