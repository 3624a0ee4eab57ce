package dev.tagflow.promote;

import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * How a value is written as a YAML scalar in one style, and what type a plain scalar reads as. The
 * editor tries the styles in its order of preference and keeps the first that reads back right, so
 * this only has to say what each style can hold at all.
 */
final class ScalarText {

  private final Resolver resolver = new Resolver();

  /** The type a plain scalar with this text reads as (str, int, float, bool, null, …). */
  Tag plainType(String text) {
    return resolver.resolve(NodeId.scalar, text, true);
  }

  /** The text of the value in that style, if the style can hold it. */
  Optional<String> write(String value, ScalarStyle style) {
    return switch (style) {
      case PLAIN -> plainSafe(value) ? Optional.of(value) : Optional.empty();
      case SINGLE_QUOTED ->
          value.chars().allMatch(ScalarText::printableOnOneLine)
              ? Optional.of("'" + value.replace("'", "''") + "'")
              : Optional.empty();
      case DOUBLE_QUOTED -> Optional.of(doubleQuoted(value));
      default -> Optional.empty();
    };
  }

  /**
   * A first filter for plain scalars: one line, printable, no surrounding spaces, not starting with
   * an indicator. What remains ({@code a: b}, {@code x #y}, commas in flow) the editor finds by
   * reading the result back.
   */
  private static boolean plainSafe(String value) {
    if (value.isEmpty()
        || Character.isWhitespace(value.charAt(0))
        || Character.isWhitespace(value.charAt(value.length() - 1))
        || "-?:,[]{}#&*!|>'\"%@`".indexOf(value.charAt(0)) >= 0) {
      return false;
    }
    return value.chars().allMatch(ScalarText::printableOnOneLine)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.endsWith(":");
  }

  private static boolean printableOnOneLine(int c) {
    return !Character.isISOControl(c) && !isSpecial(c);
  }

  /** Characters YAML treats as line breaks or byte order marks, written escaped. */
  private static boolean isSpecial(int c) {
    return c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xFEFF;
  }

  private static String doubleQuoted(String value) {
    StringBuilder s = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '\r' -> s.append("\\r");
        default -> {
          if (Character.isISOControl(c) || isSpecial(c)) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }
}
