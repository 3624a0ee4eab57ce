package dev.tagflow.pipeline.expression;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code toJSON} and {@code fromJSON}: values written as GitHub writes them (two-space indent,
 * {@code "key": value}, numbers as in text), and JSON read within the evaluation's budget.
 */
final class JsonText {

  private JsonText() {}

  /** The value as {@code toJSON} writes it, refused once it grows past one string's limit. */
  static String write(Value value, Budget budget) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0, budget);
    return budget.keep(out.toString(), "toJSON");
  }

  private static void write(Value value, StringBuilder out, int depth, Budget budget) {
    if (depth > budget.limits().maxJsonDepth()) {
      throw ExpressionException.of(
          "toJSON: the value is nested deeper than " + budget.limits().maxJsonDepth() + " levels");
    }
    switch (value) {
      case Value.NullValue n -> out.append("null");
      case Value.BooleanValue b -> out.append(b.value());
      case Value.NumberValue n -> out.append(NumberText.format(n.value()));
      case Value.StringValue s -> quote(s.value(), out);
      case Value.ArrayValue a -> {
        if (a.items().isEmpty()) {
          out.append("[]");
          break;
        }
        out.append('[');
        boolean first = true;
        for (Value item : a.items()) {
          out.append(first ? "" : ",");
          newline(out, depth + 1);
          write(item, out, depth + 1, budget);
          budget.check(out.length(), "toJSON");
          first = false;
        }
        newline(out, depth);
        out.append(']');
      }
      case Value.ObjectValue o -> {
        if (o.properties().isEmpty()) {
          out.append("{}");
          break;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Value> property : o.properties().entrySet()) {
          out.append(first ? "" : ",");
          newline(out, depth + 1);
          quote(property.getKey(), out);
          out.append(": ");
          write(property.getValue(), out, depth + 1, budget);
          budget.check(out.length(), "toJSON");
          first = false;
        }
        newline(out, depth);
        out.append('}');
      }
    }
    budget.check(out.length(), "toJSON");
  }

  private static void newline(StringBuilder out, int depth) {
    out.append('\n').repeat(' ', depth * 2);
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u0085' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * The value of a JSON text, for {@code fromJSON}: one JSON value and nothing after it, nested no
   * deeper than the limit, every element counted.
   */
  static Value read(String text, Budget budget) {
    if (Text.trim(text).isEmpty()) {
      throw ExpressionException.of("fromJSON: the string is empty; give it a JSON text");
    }
    ExpressionLimits limits = budget.limits();
    JsonFactory factory =
        JsonFactory.builderWithJackson2Defaults()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxJsonDepth())
                    .maxStringLength(limits.maxStringChars())
                    .maxDocumentLength(limits.maxStringChars())
                    .maxNumberLength(1_000)
                    .maxNameLength(limits.maxStringChars())
                    .build())
            .build();
    try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), text)) {
      JsonToken first = parser.nextToken();
      Value value = readValue(parser, first, budget);
      if (parser.nextToken() != null) {
        throw ExpressionException.of(
            "fromJSON: there is more after the JSON value, at character "
                + parser.currentTokenLocation().getCharOffset());
      }
      return value;
    } catch (StreamConstraintsException e) {
      throw ExpressionException.of("fromJSON: " + e.getOriginalMessage());
    } catch (UnexpectedEndOfInputException e) {
      throw ExpressionException.of("fromJSON: the JSON text ends too early");
    } catch (JacksonException e) {
      // Jackson's message quotes the text, which may be a secret: say only where it went wrong.
      throw ExpressionException.of(
          "fromJSON: not JSON at character "
              + (e.getLocation() == null ? "?" : e.getLocation().getCharOffset() + 1)
              + " (the text is not shown: it may hold a secret)");
    }
  }

  /** Iterative, so the depth bound is Jackson's and not the stack's. */
  private static Value readValue(JsonParser parser, JsonToken first, Budget budget) {
    Deque<Object> open = new ArrayDeque<>(); // List<Value> for arrays, Map for objects
    Deque<String> names = new ArrayDeque<>();
    JsonToken token = first;
    while (true) {
      Value done;
      if (token == null) {
        throw ExpressionException.of("fromJSON: the JSON text ends too early");
      }
      switch (token) {
        case START_ARRAY -> {
          open.push(new ArrayList<Value>());
          token = parser.nextToken();
          continue;
        }
        case START_OBJECT -> {
          open.push(new LinkedHashMap<String, Value>());
          token = parser.nextToken();
          continue;
        }
        case PROPERTY_NAME -> {
          names.push(parser.currentName());
          token = parser.nextToken();
          continue;
        }
        case END_ARRAY -> {
          @SuppressWarnings("unchecked")
          List<Value> items = (List<Value>) open.pop();
          done = Value.array(items);
        }
        case END_OBJECT -> {
          @SuppressWarnings("unchecked")
          Map<String, Value> properties = (Map<String, Value>) open.pop();
          done = Value.object(properties);
        }
        case VALUE_STRING -> done = Value.of(parser.getString());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> done = Value.of(parser.getValueAsDouble());
        case VALUE_TRUE -> done = Value.TRUE;
        case VALUE_FALSE -> done = Value.FALSE;
        case VALUE_NULL -> done = Value.NULL;
        default -> throw ExpressionException.of("fromJSON: unexpected " + token);
      }
      budget.elements(1, "fromJSON");
      if (open.isEmpty()) {
        return done;
      }
      Object parent = open.peek();
      if (parent instanceof List<?>) {
        @SuppressWarnings("unchecked")
        List<Value> items = (List<Value>) parent;
        items.add(done);
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Value> properties = (Map<String, Value>) parent;
        properties.put(names.pop(), done);
      }
      token = parser.nextToken();
    }
  }
}
