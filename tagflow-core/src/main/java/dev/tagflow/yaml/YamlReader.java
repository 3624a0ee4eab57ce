package dev.tagflow.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * YAML as Jackson trees, within {@link YamlLimits}: aliases resolved to the values they stand for,
 * merge keys ({@code <<: *base}) merged, and every document with its line. Scalars are typed as
 * Jackson types them (numbers, booleans, null, text).
 *
 * <p>Every failure is a {@link TagflowException} (INVALID_INPUT) naming file:line:column: invalid
 * YAML, a duplicate key (when refused), or a limit passed.
 *
 * <p>Thread-safe.
 */
public final class YamlReader {

  private final YamlLimits limits;
  private final Factory factory;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  /**
   * @param refuseDuplicateKeys refuse a key written twice in one mapping, rather than keep the last
   */
  public YamlReader(YamlLimits limits, boolean refuseDuplicateKeys) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.factory = new Factory(limits, refuseDuplicateKeys);
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
    try (AliasResolvingParser parser =
        factory.open(text, new ExpansionMeter(file, limits, lineOffset))) {
      while (parser.nextToken() != null) {
        int line = lineOffset + Math.max(1, parser.currentTokenLocation().getLineNr());
        documents.add(new YamlDocument(documents.size(), line, value(parser, file, lineOffset)));
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(file, "YAML", e, lineOffset);
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + file + ": " + e.getMessage(), e);
    }
    return documents;
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

  /** The value the parser is at, read to its end. Recursion is bounded by the depth limit. */
  private JsonNode value(AliasResolvingParser parser, String file, int lineOffset)
      throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      // Jackson ends the stream early on a few scalars it cannot type; never a crash, still an
      // error.
      JsonLocation at = parser.currentLocation();
      throw TagflowException.invalidInput(
          file
              + ":"
              + (at.getLineNr() + lineOffset)
              + ":"
              + Math.max(1, at.getColumnNr())
              + ": invalid YAML: the text ends inside a value; check the value at this place");
    }
    return switch (token) {
      case START_OBJECT -> mapping(parser, file, lineOffset);
      case START_ARRAY -> {
        ArrayNode list = nodes.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(parser, file, lineOffset));
        }
        yield list;
      }
      case VALUE_STRING -> nodes.textNode(parser.getText());
      // As Jackson's own tree reader types numbers.
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> nodes.numberNode(parser.getIntValue());
            case LONG -> nodes.numberNode(parser.getLongValue());
            default -> nodes.numberNode(parser.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT ->
          switch (parser.getNumberType()) {
            case BIG_DECIMAL -> nodes.numberNode(parser.getDecimalValue());
            case FLOAT -> nodes.numberNode(parser.getFloatValue());
            default -> nodes.numberNode(parser.getDoubleValue());
          };
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      case VALUE_NULL -> nodes.nullNode();
      case VALUE_EMBEDDED_OBJECT ->
          parser.getEmbeddedObject() instanceof byte[] bytes
              ? nodes.binaryNode(bytes)
              : nodes.pojoNode(parser.getEmbeddedObject());
      default ->
          throw new IllegalStateException("a YAML value cannot start with " + token); // parser bug
    };
  }

  /**
   * A mapping, with what its merge keys name merged in: its own keys win over merged ones, and an
   * earlier merged mapping over a later one, as YAML defines it.
   */
  private ObjectNode mapping(AliasResolvingParser parser, String file, int lineOffset)
      throws IOException {
    ObjectNode mapping = nodes.objectNode();
    List<ObjectNode> merged = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      boolean merge = parser.atMergeKey();
      JsonLocation at = parser.currentTokenLocation();
      parser.nextToken();
      JsonNode value = value(parser, file, lineOffset);
      if (!merge) {
        mapping.set(key, value); // a duplicate, when not refused by the parser: the last wins
      } else if (value instanceof ObjectNode one) {
        merged.add(one);
      } else if (value instanceof ArrayNode several && allMappings(several)) {
        several.forEach(m -> merged.add((ObjectNode) m));
      } else {
        throw TagflowException.invalidInput(
            file
                + ":"
                + (at.getLineNr() + lineOffset)
                + ":"
                + at.getColumnNr()
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
    return value.isArray() ? "a list holding other values" : "'" + value.asText() + "'";
  }

  /**
   * A syntax error Jackson found in {@code file} (YAML or JSON, as {@code language} says) as one
   * {@code file:line:column: invalid <language>: …} message; {@code offset} lines come before the
   * text that was parsed.
   */
  public static TagflowException syntaxError(
      String file, String language, JsonProcessingException e, int offset) {
    JsonLocation where = e.getLocation();
    String position =
        where == null || where.getLineNr() < 1
            ? ""
            : ":" + (where.getLineNr() + offset) + ":" + Math.max(1, where.getColumnNr());
    // SnakeYAML's message repeats positions and quotes the source on indented lines; keep the rest.
    String message =
        e.getOriginalMessage()
            .lines()
            .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
            .map(String::strip)
            .collect(Collectors.joining(": "));
    return new TagflowException(
        TagflowException.Reason.INVALID_INPUT,
        file + position + ": invalid " + language + ": " + message,
        e);
  }

  /** Jackson's YAML factory with the limits set, making parsers that resolve aliases. */
  private static final class Factory extends YAMLFactory {

    Factory(YamlLimits limits, boolean refuseDuplicateKeys) {
      super(
          YAMLFactory.builder()
              .loaderOptions(limits.loaderOptions())
              .streamReadConstraints(limits.streamReadConstraints())
              .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, refuseDuplicateKeys)
              // As new YAMLFactory() has it (its builder starts without): "key:" is null, not "".
              .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL));
    }

    AliasResolvingParser open(String text, ExpansionMeter meter) {
      IOContext context = _createContext(_createContentReference(text), true);
      return new AliasResolvingParser(
          context,
          _parserFeatures,
          _yamlParserFeatures,
          _loaderOptions,
          _objectCodec,
          new StringReader(text),
          meter);
    }
  }
}
