package dev.tagflow.pipeline.expression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A value of GitHub's expression language: null, a boolean, a number (always a double, as GitHub
 * has it), a string, an array or an object, with the language's coercions.
 *
 * <p>The records compare by content ({@code equals}) for Java callers and tests; the language's own
 * {@code ==} is {@link #looselyEquals}, where two arrays or objects are equal only when they are
 * the same one.
 */
public sealed interface Value
    permits Value.NullValue,
        Value.BooleanValue,
        Value.NumberValue,
        Value.StringValue,
        Value.ArrayValue,
        Value.ObjectValue {

  /** {@code null}, and what a missing property or context reads as. */
  NullValue NULL = new NullValue();

  BooleanValue TRUE = new BooleanValue(true);
  BooleanValue FALSE = new BooleanValue(false);

  /** The null value. */
  record NullValue() implements Value {}

  /** {@code true} or {@code false}. */
  record BooleanValue(boolean value) implements Value {}

  /** A number; NaN and the infinities included, as in GitHub. */
  record NumberValue(double value) implements Value {}

  /** A string. */
  record StringValue(String value) implements Value {
    public StringValue {
      if (value == null) {
        throw new IllegalArgumentException("a string value is never null; use Value.NULL");
      }
    }
  }

  /** An array, in order. */
  record ArrayValue(List<Value> items) implements Value {
    public ArrayValue {
      items = List.copyOf(items);
    }
  }

  /**
   * An object, its properties in the order they were given. Properties are looked up ignoring case,
   * as GitHub does ({@code github.REF} is {@code github.ref}); an exact match wins.
   */
  record ObjectValue(Map<String, Value> properties) implements Value {
    public ObjectValue {
      for (Map.Entry<String, Value> property : properties.entrySet()) {
        if (property.getKey() == null || property.getValue() == null) {
          throw new IllegalArgumentException("an object's keys and values are never null");
        }
      }
      properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The property named {@code name}, ignoring case; empty if there is none. */
    public Optional<Value> get(String name) {
      Value exact = properties.get(name);
      if (exact != null) {
        return Optional.of(exact);
      }
      for (Map.Entry<String, Value> property : properties.entrySet()) {
        if (Text.equalsIgnoreCase(property.getKey(), name)) {
          return Optional.of(property.getValue());
        }
      }
      return Optional.empty();
    }
  }

  static BooleanValue of(boolean value) {
    return value ? TRUE : FALSE;
  }

  static NumberValue of(double value) {
    return new NumberValue(value);
  }

  static StringValue of(String value) {
    return new StringValue(value);
  }

  static ArrayValue array(List<Value> items) {
    return new ArrayValue(items);
  }

  static ObjectValue object(Map<String, Value> properties) {
    return new ObjectValue(properties);
  }

  /**
   * Whether a condition takes this value as true: everything but {@code false}, {@code 0}, {@code
   * -0}, {@code NaN}, {@code ''} and {@code null}. Arrays and objects, even empty, are true.
   */
  default boolean isTruthy() {
    return switch (this) {
      case NullValue n -> false;
      case BooleanValue b -> b.value();
      case NumberValue n -> n.value() != 0 && !Double.isNaN(n.value());
      case StringValue s -> !s.value().isEmpty();
      case ArrayValue a -> true;
      case ObjectValue o -> true;
    };
  }

  /** Whether this is null, a boolean, a number or a string. */
  default boolean isPrimitive() {
    return !(this instanceof ArrayValue || this instanceof ObjectValue);
  }

  /**
   * This value as a number, as JavaScript's {@code Number()} does: null and false are 0, true 1, a
   * string its number (blank is 0, hex {@code 0x1F}, octal {@code 0o17}, {@code Infinity}) or NaN;
   * arrays and objects NaN.
   */
  default double asNumber() {
    return switch (this) {
      case NullValue n -> 0;
      case BooleanValue b -> b.value() ? 1 : 0;
      case NumberValue n -> n.value();
      case StringValue s -> NumberText.parse(Text.trim(s.value()));
      case ArrayValue a -> Double.NaN;
      case ObjectValue o -> Double.NaN;
    };
  }

  /**
   * This value as GitHub writes it into a string: null as nothing, {@code true}/{@code false},
   * numbers with up to 15 significant digits ({@code 3}, {@code 0.5}, {@code 1E+15}), strings as
   * they are, arrays and objects as the JSON {@code toJSON} writes.
   *
   * @throws ExpressionException if an array or object's JSON would pass the default limits
   */
  default String asText() {
    return Text.of(this, new Budget(ExpressionLimits.defaults()));
  }

  /**
   * The language's {@code ==}: values of different kinds are compared as numbers (so {@code '1' ==
   * 1} and {@code null == 0} and {@code true == 1}), strings ignoring case, NaN equals nothing, an
   * array or object only itself.
   */
  static boolean looselyEquals(Value left, Value right) {
    return Comparison.equal(left, right);
  }

  /** This value as JSON, for a caller that stores or prints it. */
  default JsonNode toJson() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (this) {
      case NullValue n -> nodes.nullNode();
      case BooleanValue b -> nodes.booleanNode(b.value());
      case NumberValue n -> {
        double v = n.value();
        // Whole numbers stay whole in JSON (3, not 3.0), as GitHub writes them.
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
          yield nodes.numberNode((long) v);
        }
        yield nodes.numberNode(v);
      }
      case StringValue s -> nodes.stringNode(s.value());
      case ArrayValue a -> {
        ArrayNode array = nodes.arrayNode(a.items().size());
        a.items().forEach(item -> array.add(item.toJson()));
        yield array;
      }
      case ObjectValue o -> {
        ObjectNode object = nodes.objectNode();
        o.properties().forEach((key, value) -> object.set(key, value.toJson()));
        yield object;
      }
    };
  }

  /**
   * The value of a JSON tree (what the workflow loader and the runner hold contexts as). Numbers
   * become doubles, binary data its base64 text.
   *
   * @throws ExpressionException if the tree is nested deeper than 1,000 levels
   */
  static Value fromJson(JsonNode node) {
    return fromJson(node, 0);
  }

  private static Value fromJson(JsonNode node, int depth) {
    if (depth > 1_000) {
      throw ExpressionException.of("a value is nested deeper than 1000 levels");
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NULL;
    }
    if (node.isBoolean()) {
      return of(node.booleanValue());
    }
    if (node.isNumber()) {
      return of(node.numberValue().doubleValue()); // Jackson 2: never throws
    }
    if (node.isString()) {
      return of(node.stringValue());
    }
    if (node.isArray()) {
      List<Value> items = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        items.add(fromJson(item, depth + 1));
      }
      return array(items);
    }
    if (node.isObject()) {
      Map<String, Value> properties = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        properties.put(field.getKey(), fromJson(field.getValue(), depth + 1));
      }
      return object(properties);
    }
    return of(node.asString());
  }
}
