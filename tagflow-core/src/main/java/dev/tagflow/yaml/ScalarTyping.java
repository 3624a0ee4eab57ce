package dev.tagflow.yaml;

import java.math.BigInteger;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Types a scalar as Jackson 2's YAML parser did (YAML 1.1 forms as SnakeYAML resolves them: {@code
 * yes} and {@code on} are true, {@code 0755} is octal, {@code 1_000} is 1000, {@code ~} and nothing
 * are null), so that values files mean what they meant. Jackson 3's YAML parser reads YAML 1.2,
 * where {@code yes} is text and {@code 0755} is 755; Tagflow's users wrote their files for the
 * first. Integers get the smallest of int, long and BigInteger that holds them (with Jackson 2's
 * quirks, kept: {@code 0x7FFFFFFF} is a long); decimals are doubles; {@code .inf} and {@code .nan}
 * are errors, as they were.
 *
 * <p>Thread-safe.
 */
final class ScalarTyping {

  private static final String CORE = "tag:yaml.org,2002:";

  private final Resolver resolver = new Resolver();
  private final StreamReadConstraints constraints;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  ScalarTyping(StreamReadConstraints constraints) {
    this.constraints = constraints;
  }

  /**
   * The scalar's value; null when Jackson 2 gave no token for it (a sign alone tagged as a number).
   *
   * @throws ParseFailure at the scalar's end when it is of its type but cannot be read as one
   */
  JsonNode type(ScalarEvent scalar) {
    String value = scalar.getValue();
    Mark at = scalar.getEndMark();
    String tag = scalar.getTag();
    if (tag == null || tag.equals("!")) {
      Tag resolved =
          resolver.resolve(NodeId.scalar, value, scalar.getImplicit().canOmitTagInPlainScalar());
      if (resolved == Tag.STR) {
        return nodes.stringNode(value);
      }
      if (resolved == Tag.INT) {
        return integer(value, at);
      }
      if (resolved == Tag.FLOAT) {
        return decimal(value, at);
      }
      if (resolved == Tag.BOOL) {
        Boolean bool = bool(value);
        if (bool != null) {
          return nodes.booleanNode(bool);
        }
      } else if (resolved == Tag.NULL) {
        return nodes.nullNode();
      }
      return nodes.stringNode(value);
    }
    if (tag.startsWith(CORE)) {
      tag = tag.substring(CORE.length());
      if (tag.contains(",")) {
        String[] tags = tag.split(",");
        tag = tags.length == 0 ? "" : tags[0];
      }
    }
    if ("binary".equals(tag)) {
      try {
        return nodes.binaryNode(Base64Variants.MIME.decode(value.trim()));
      } catch (IllegalArgumentException e) {
        throw new ParseFailure(e.getMessage(), at, e);
      }
    }
    if ("bool".equals(tag)) {
      Boolean bool = bool(value);
      if (bool != null) {
        return nodes.booleanNode(bool);
      }
    } else if (!value.isEmpty()) {
      switch (tag) {
        case "int" -> {
          return integer(value, at);
        }
        case "float" -> {
          return decimal(value, at);
        }
        case "null" -> {
          return nodes.nullNode();
        }
        default -> {}
      }
    }
    return nodes.stringNode(value);
  }

  private static Boolean bool(String value) {
    return switch (value.length()) {
      case 1 ->
          switch (value.charAt(0)) {
            case 'y', 'Y' -> Boolean.TRUE;
            case 'n', 'N' -> Boolean.FALSE;
            default -> null;
          };
      case 2 ->
          "no".equalsIgnoreCase(value)
              ? Boolean.FALSE
              : "on".equalsIgnoreCase(value) ? Boolean.TRUE : null;
      case 3 ->
          "yes".equalsIgnoreCase(value)
              ? Boolean.TRUE
              : "off".equalsIgnoreCase(value) ? Boolean.FALSE : null;
      case 4 -> "true".equalsIgnoreCase(value) ? Boolean.TRUE : null;
      case 5 -> "false".equalsIgnoreCase(value) ? Boolean.FALSE : null;
      default -> null;
    };
  }

  private JsonNode integer(String value, Mark at) {
    int length = value.length();
    int i = 0;
    boolean negative = false;
    char first = value.charAt(0);
    if (first == '-') {
      negative = true;
      i = 1;
    } else if (first == '+') {
      if (length == 1) {
        return null;
      }
      i = 1;
    }
    if (length == i) {
      return null;
    }
    if (value.charAt(i) == '0') {
      if (++i == length) {
        return nodes.numberNode(0);
      }
      return switch (value.charAt(i)) {
        case 'b', 'B' -> radix(value, i + 1, 2, negative, at);
        case 'x', 'X' -> radix(value, i + 1, 16, negative, at);
        case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '_' ->
            radix(value, i, 8, negative, at);
        default -> nodes.stringNode(value);
      };
    }
    boolean underscores = false;
    while (true) {
      char c = value.charAt(i);
      if (c > '9' || c < '0') {
        if (c == '_') {
          underscores = true;
        } else {
          return nodes.stringNode(value);
        }
      }
      if (++i == length) {
        String digits = value;
        if (underscores) {
          digits = withoutUnderscores(value, value.charAt(0) == '+' ? 1 : 0);
          if (digits.isEmpty() || "-".equals(digits)) {
            throw new ParseFailure(String.format("Invalid number ('%s')", value), at);
          }
        }
        return decimalInteger(value, digits, negative, at);
      }
    }
  }

  /** Base 10, as Jackson 2 read the digits once it had typed them. */
  private JsonNode decimalInteger(String value, String digits, boolean negative, Mark at) {
    int length = digits.length() - (negative ? 1 : 0);
    if (length <= 9) {
      return nodes.numberNode(parseInt(digits, 10, at));
    }
    if (length <= 18) {
      long number = Long.parseLong(digits);
      if (length == 10 && (negative ? number >= Integer.MIN_VALUE : number <= Integer.MAX_VALUE)) {
        return nodes.numberNode((int) number);
      }
      return nodes.numberNode(number);
    }
    constraints.validateIntegerLength(digits.length());
    try {
      BigInteger number = new BigInteger(digits);
      if (length == 19 && number.bitLength() <= 63) {
        return nodes.numberNode(number.longValue());
      }
      return nodes.numberNode(number);
    } catch (NumberFormatException e) {
      throw new ParseFailure("Malformed numeric value '" + value + "'", at, e);
    }
  }

  /**
   * Binary, octal or hexadecimal digits from {@code from}, in as few bits as Jackson 2 chose for
   * their count.
   */
  private JsonNode radix(String value, int from, int radix, boolean negative, Mark at) {
    String digits = withoutUnderscores(value, from);
    int count = digits.length();
    // Jackson 2's bounds: digits that surely fit an int, and those that surely fit a long.
    int intDigits = radix == 2 ? 31 : radix == 8 ? 10 : 7;
    int longDigits = radix == 2 ? 63 : radix == 8 ? 21 : 15;
    boolean checkIfInt = radix == 2 ? count == 32 : radix == 16 && count == 8;
    if (count <= intDigits) {
      int number = parseInt(digits, radix, at);
      return nodes.numberNode(negative ? -number : number);
    }
    if (count <= longDigits) {
      long unsigned;
      try {
        unsigned = Long.parseLong(digits, radix);
      } catch (NumberFormatException e) {
        throw invalid(digits, radix, e, at);
      }
      if (negative) {
        long number = -unsigned;
        return checkIfInt && number >= Integer.MIN_VALUE
            ? nodes.numberNode((int) number)
            : nodes.numberNode(number);
      }
      return checkIfInt && unsigned < Integer.MAX_VALUE
          ? nodes.numberNode((int) unsigned)
          : nodes.numberNode(unsigned);
    }
    constraints.validateIntegerLength(count);
    try {
      BigInteger unsigned = new BigInteger(digits, radix);
      return nodes.numberNode(negative ? unsigned.negate() : unsigned);
    } catch (NumberFormatException e) {
      throw invalid(digits, radix, e, at);
    }
  }

  private JsonNode decimal(String value, Mark at) {
    String digits =
        value.indexOf('_') < 0 ? value : withoutUnderscores(value, value.charAt(0) == '+' ? 1 : 0);
    constraints.validateFPLength(digits.length());
    try {
      return nodes.numberNode(Double.parseDouble(digits));
    } catch (NumberFormatException e) {
      throw new ParseFailure("Malformed numeric value '" + value + "'", at, e);
    }
  }

  private static int parseInt(String digits, int radix, Mark at) {
    try {
      return Integer.parseInt(digits, radix);
    } catch (NumberFormatException e) {
      throw invalid(digits, radix, e, at);
    }
  }

  private static ParseFailure invalid(String digits, int radix, Exception e, Mark at) {
    return new ParseFailure(
        String.format("Invalid base-%d number ('%s'), problem: %s", radix, digits, e.getMessage()),
        at,
        e);
  }

  private static String withoutUnderscores(String value, int from) {
    StringBuilder digits = new StringBuilder(value.length());
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '_') {
        digits.append(c);
      }
    }
    return digits.toString();
  }
}
