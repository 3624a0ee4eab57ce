package dev.tagflow.server.api;

import dev.tagflow.JacksonMessages;
import dev.tagflow.NodeText;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON request body read strictly: one object, only the fields the route knows, each of its type;
 * anything else is a {@link BadRequest} naming the field. The server's size limit bounds the bytes;
 * the nesting depth is bounded here so a deep body costs nothing.
 */
public final class RequestBody {

  /** The deepest nesting a body may have; the API's bodies are flat objects. */
  public static final int MAX_DEPTH = 8;

  private static final ObjectMapper STRICT =
      JsonMapper.builder(
              JsonFactory.builderWithJackson2Defaults()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .build())
          .configureForJackson2()
          .build();

  private final ObjectNode node;

  private RequestBody(ObjectNode node) {
    this.node = node;
  }

  /**
   * Reads a body: empty means no fields; otherwise it must be {@code application/json} and an
   * object whose fields are all in {@code known}.
   */
  public static RequestBody read(byte[] bytes, String contentType, Set<String> known) {
    if (bytes.length == 0) {
      return new RequestBody(STRICT.createObjectNode());
    }
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new BadRequest(
          415,
          "unsupported_media_type",
          "the body is "
              + (contentType == null ? "without a content type" : "'" + contentType + "'"),
          Optional.empty(),
          "send it as JSON with Content-Type: application/json");
    }
    JsonNode tree;
    try {
      tree = STRICT.readTree(bytes);
    } catch (StreamConstraintsException deep) {
      throw new BadRequest(
          400,
          "invalid_request",
          "the body is nested deeper than " + MAX_DEPTH + " levels",
          Optional.empty(),
          "send a flat JSON object");
    } catch (JacksonException notJson) {
      throw new BadRequest(
          400,
          "invalid_request",
          "the body is not valid JSON: " + firstLine(JacksonMessages.of(notJson)),
          Optional.empty(),
          "send a JSON object, e.g. {\"prune\": true}");
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new BadRequest(
          400,
          "invalid_request",
          "the body is a JSON "
              + (tree == null ? "nothing" : tree.getNodeType().name().toLowerCase())
              + ", not an object",
          Optional.empty(),
          "send a JSON object, e.g. {\"prune\": true}");
    }
    for (Iterator<String> names = object.propertyNames().iterator(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw BadRequest.field(
            shorten(name),
            "unknown field '" + shorten(name) + "'",
            "the fields of this body are " + new TreeSet<>(known));
      }
    }
    return new RequestBody(object);
  }

  /** Whether the body has the field, whatever its value. */
  public boolean has(String field) {
    return node.has(field);
  }

  public Optional<Boolean> bool(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw wrongType(field, value, "true or false");
    }
    return Optional.of(value.booleanValue());
  }

  /** A whole number from 1 up. */
  public Optional<Long> positive(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw wrongType(field, value, "a whole number");
    }
    if (value.longValue() < 1) {
      throw BadRequest.field(field, field + " is " + value.longValue(), "give a number from 1 up");
    }
    return Optional.of(value.longValue());
  }

  /** A string of at most {@code maxChars} characters. */
  public Optional<String> text(String field, int maxChars) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isString()) {
      throw wrongType(field, value, "a string");
    }
    if (value.stringValue().length() > maxChars) {
      throw BadRequest.field(
          field,
          field + " is " + value.stringValue().length() + " characters long",
          "give at most " + maxChars + " characters");
    }
    return Optional.of(value.stringValue());
  }

  /** A required string of at most {@code maxChars} characters; {@code example} says how. */
  public String requiredText(String field, int maxChars, String example) {
    return text(field, maxChars)
        .orElseThrow(
            () -> BadRequest.field(field, field + " is missing", "give it, e.g. " + example));
  }

  /**
   * An object of string values, e.g. a run's inputs; numbers and booleans are taken as their text,
   * as a workflow's inputs are.
   */
  public Map<String, String> strings(String field, int maxEntries, int maxChars) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!(value instanceof ObjectNode object)) {
      throw wrongType(field, value, "an object of strings");
    }
    if (object.size() > maxEntries) {
      throw BadRequest.field(
          field, field + " has " + object.size() + " entries", "give at most " + maxEntries);
    }
    Map<String, String> strings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      JsonNode item = entry.getValue();
      String where = field + "." + shorten(entry.getKey());
      if (!item.isValueNode() || item.isNull()) {
        throw BadRequest.field(
            where, where + " is a " + item.getNodeType().name().toLowerCase(), "give a string");
      }
      if (NodeText.of(item).length() > maxChars || entry.getKey().length() > maxChars) {
        throw BadRequest.field(
            where, where + " is too long", "give at most " + maxChars + " characters");
      }
      strings.put(entry.getKey(), NodeText.of(item));
    }
    return strings;
  }

  private static BadRequest wrongType(String field, JsonNode value, String wanted) {
    return BadRequest.field(
        field,
        field + " is a " + value.getNodeType().name().toLowerCase() + ", not " + wanted,
        "write " + field + " as " + wanted);
  }

  private static String shorten(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.lines().findFirst().orElse("");
    return shorten(line);
  }
}
