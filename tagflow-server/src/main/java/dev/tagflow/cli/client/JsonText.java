package dev.tagflow.cli.client;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read into maps, lists, strings, numbers, booleans and null, and written back, for the client
 * verbs: a few hundred lines instead of Jackson's thousand classes at every start (BENCHMARKS.md,
 * "CLI start time"). Strict RFC 8259; an answer nested deeper than {@value #MAX_DEPTH} is refused.
 */
public final class JsonText {

  /** The deepest nesting read: the API's answers are a few levels deep. */
  static final int MAX_DEPTH = 64;

  private final String text;
  private int at;

  private JsonText(String text) {
    this.text = text;
  }

  /**
   * The value of a JSON text.
   *
   * @throws IllegalArgumentException when it is not JSON, saying where
   */
  public static Object parse(String text) {
    JsonText reader = new JsonText(text);
    reader.space();
    Object value = reader.value(0);
    reader.space();
    if (reader.at != text.length()) {
      throw reader.error("more after the value");
    }
    return value;
  }

  /** The text of a value, indented by two spaces per level. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "");
    return out.toString();
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
    if (at >= text.length()) {
      throw error("the text ends where a value was expected");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> word("true", Boolean.TRUE);
      case 'f' -> word("false", Boolean.FALSE);
      case 'n' -> word("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected '" + c + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    at++;
    space();
    if (peek('}')) {
      at++;
      return map;
    }
    while (true) {
      space();
      if (!peek('"')) {
        throw error("a field name was expected");
      }
      String key = string();
      space();
      expect(':');
      space();
      map.put(key, value(depth + 1));
      space();
      if (peek(',')) {
        at++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<>();
    at++;
    space();
    if (peek(']')) {
      at++;
      return list;
    }
    while (true) {
      space();
      list.add(value(depth + 1));
      space();
      if (peek(',')) {
        at++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String string() {
    at++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("a string is not closed");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("a control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("a string is not closed");
      }
      char escaped = text.charAt(at++);
      switch (escaped) {
        case '"', '\\', '/' -> out.append(escaped);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("a \\u escape is cut short");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          } catch (NumberFormatException e) {
            throw error("a \\u escape is not four hex digits");
          }
          at += 4;
        }
        default -> throw error("an unknown escape \\" + escaped);
      }
    }
  }

  private Object number() {
    int start = at;
    if (peek('-')) {
      at++;
    }
    while (at < text.length() && "0123456789.eE+-".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String number = text.substring(start, at);
    try {
      BigDecimal value = new BigDecimal(number);
      if (number.matches("-?(0|[1-9][0-9]{0,17})")) {
        return Long.parseLong(number);
      }
      if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      at = start;
      throw error("'" + number + "' is not a number");
    }
  }

  private Object word(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected '" + text.charAt(at) + "'");
    }
    at += word.length();
    return value;
  }

  private boolean peek(char c) {
    return at < text.length() && text.charAt(at) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("'" + c + "' was expected");
    }
    at++;
  }

  private void space() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("not valid JSON at character " + (at + 1) + ": " + what);
  }

  private static void write(StringBuilder out, Object value, String indent) {
    switch (value) {
      case null -> out.append("null");
      case Map<?, ?> map -> {
        if (map.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        String inner = indent + "  ";
        int i = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          out.append(inner);
          quote(out, String.valueOf(entry.getKey()));
          out.append(": ");
          write(out, entry.getValue(), inner);
          out.append(++i < map.size() ? ",\n" : "\n");
        }
        out.append(indent).append('}');
      }
      case List<?> list -> {
        if (list.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append("[\n");
        String inner = indent + "  ";
        for (int i = 0; i < list.size(); i++) {
          out.append(inner);
          write(out, list.get(i), inner);
          out.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        out.append(indent).append(']');
      }
      case String string -> quote(out, string);
      case Number number -> out.append(number);
      case Boolean bool -> out.append(bool);
      default -> quote(out, value.toString());
    }
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
