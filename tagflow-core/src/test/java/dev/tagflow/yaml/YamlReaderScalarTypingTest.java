package dev.tagflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.TagflowException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * How {@link YamlReader} types a scalar, pinned as Jackson 2's YAML parser typed it (YAML 1.1
 * forms, SnakeYAML's resolver), so that a change of parser cannot change what a values file means.
 */
class YamlReaderScalarTypingTest {

  final YamlReader reader = new YamlReader(YamlLimits.defaults(), true);

  static Stream<Arguments> scalars() {
    return Stream.of(
        Arguments.of("0755", "NUMBER/INT 493"),
        Arguments.of("yes", "BOOLEAN/null true"),
        Arguments.of("1_000", "NUMBER/INT 1000"),
        Arguments.of(".inf", "ERR p.yaml:1:8: invalid YAML: Malformed numeric value '.inf'"),
        Arguments.of("-.inf", "ERR p.yaml:1:9: invalid YAML: Malformed numeric value '-.inf'"),
        Arguments.of(".nan", "ERR p.yaml:1:8: invalid YAML: Malformed numeric value '.nan'"),
        Arguments.of("~", "NULL/null null"),
        Arguments.of("", "NULL/null null"),
        Arguments.of("null", "NULL/null null"),
        Arguments.of("Null", "NULL/null null"),
        Arguments.of("y", "STRING/null \"y\""),
        Arguments.of("n", "STRING/null \"n\""),
        Arguments.of("on", "BOOLEAN/null true"),
        Arguments.of("Off", "BOOLEAN/null false"),
        Arguments.of("TRUE", "BOOLEAN/null true"),
        Arguments.of("0x1F", "NUMBER/INT 31"),
        Arguments.of("-0x1F", "NUMBER/INT -31"),
        Arguments.of("0b101", "NUMBER/INT 5"),
        Arguments.of("+12", "NUMBER/INT 12"),
        Arguments.of("+1_0", "NUMBER/INT 10"),
        Arguments.of("1e3", "NUMBER/DOUBLE 1000.0"),
        Arguments.of("1.5e3", "NUMBER/DOUBLE 1500.0"),
        Arguments.of("1.5e+3", "NUMBER/DOUBLE 1500.0"),
        Arguments.of("1.", "NUMBER/DOUBLE 1.0"),
        Arguments.of("+.5", "NUMBER/DOUBLE 0.5"),
        Arguments.of("1_000.5", "NUMBER/DOUBLE 1000.5"),
        Arguments.of("12:30", "STRING/null \"12:30\""),
        Arguments.of("08", "STRING/null \"08\""),
        Arguments.of("0", "NUMBER/INT 0"),
        Arguments.of("-0", "NUMBER/INT 0"),
        Arguments.of("+0", "NUMBER/INT 0"),
        Arguments.of("2147483647", "NUMBER/INT 2147483647"),
        Arguments.of("2147483648", "NUMBER/LONG 2147483648"),
        Arguments.of("-2147483648", "NUMBER/INT -2147483648"),
        Arguments.of("-2147483649", "NUMBER/LONG -2147483649"),
        Arguments.of("9223372036854775807", "NUMBER/LONG 9223372036854775807"),
        Arguments.of("9223372036854775808", "NUMBER/BIG_INTEGER 9223372036854775808"),
        Arguments.of("0x7FFFFFFF", "NUMBER/LONG 2147483647"),
        Arguments.of("0xFFFFFFFF", "NUMBER/LONG 4294967295"),
        Arguments.of("0x7FFFFFF", "NUMBER/INT 134217727"),
        Arguments.of("0o17", "STRING/null \"0o17\""),
        Arguments.of("2026-12-06", "STRING/null \"2026-12-06\""),
        Arguments.of("'1'", "STRING/null \"1\""),
        Arguments.of("\"yes\"", "STRING/null \"yes\""),
        Arguments.of("''", "STRING/null \"\""),
        Arguments.of("!!binary aGk=", "BINARY/null \"aGk=\""),
        Arguments.of("!!str 5", "STRING/null \"5\""),
        Arguments.of("!!int \"7\"", "NUMBER/INT 7"),
        Arguments.of("!!float 2", "NUMBER/DOUBLE 2.0"),
        Arguments.of(
            "!!float 0x1F", "ERR p.yaml:1:16: invalid YAML: Malformed numeric value '0x1F'"),
        Arguments.of("!!null \"\"", "STRING/null \"\""),
        Arguments.of("! 5", "NUMBER/INT 5"),
        Arguments.of("!foo 5", "STRING/null \"5\""),
        Arguments.of("!!bool \"yes\"", "BOOLEAN/null true"),
        Arguments.of("1_", "NUMBER/INT 1"),
        Arguments.of("0_", "STRING/null \"0_\""),
        Arguments.of("0__7", "NUMBER/INT 7"),
        Arguments.of("12345678901234567890123", "NUMBER/BIG_INTEGER 12345678901234567890123"),
        Arguments.of("!!float 1_0", "NUMBER/DOUBLE 10.0"),
        Arguments.of("[1, a]", "ARRAY/null [1,\"a\"]"),
        Arguments.of("{a: 1}", "OBJECT/null {\"a\":1}"),
        Arguments.of("3.14159265358979323846", "NUMBER/DOUBLE 3.141592653589793"),
        Arguments.of("0x_1", "NUMBER/INT 1"),
        Arguments.of("!!timestamp 2026-12-06", "STRING/null \"2026-12-06\""),
        Arguments.of("+", "STRING/null \"+\""),
        Arguments.of("!!set {a: 1}", "OBJECT/null {\"a\":1}"),
        Arguments.of("!!omap [a: 1]", "ARRAY/null [{\"a\":1}]")
        // Longer than Jackson's 1,000-digit limit on numbers.
        ,
        Arguments.of(
            "1" + "0".repeat(1000),
            "ERR p.yaml: invalid YAML: Number value length (1001) exceeds the maximum allowed"
                + " (1000, from `StreamReadConstraints.getMaxNumberLength()`)"),
        Arguments.of(
            "1." + "0".repeat(1000),
            "ERR p.yaml: invalid YAML: Number value length (1002) exceeds the maximum allowed"
                + " (1000, from `StreamReadConstraints.getMaxNumberLength()`)"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("scalars")
  void typesAScalarAsJackson2Did(String scalar, String typed) {
    assertThat(typed("v: " + scalar + "\n")).isEqualTo(typed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWhatIsNotValidAsJackson2Did(String yaml, String message) {
    assertThat(typed(yaml)).isEqualTo(message);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "? [a]\n: b\n",
            "ERR p.yaml:1:4: invalid YAML: Expected a field name (Scalar value in YAML), got this"
                + " instead: <org.yaml.snakeyaml.events.SequenceStartEvent(anchor=null, tag=null,"
                + " implicit=true)>"),
        Arguments.of(
            "? {a: 1}\n: b\n",
            "ERR p.yaml:1:4: invalid YAML: Expected a field name (Scalar value in YAML), got this"
                + " instead: <org.yaml.snakeyaml.events.MappingStartEvent(anchor=null, tag=null,"
                + " implicit=true)>"),
        Arguments.of(
            "a: &k [x]\n? *k\n: b\n",
            "ERR p.yaml:1:8: invalid YAML: Expected a field name (Scalar value in YAML), got this"
                + " instead: <org.yaml.snakeyaml.events.SequenceStartEvent(anchor=k, tag=null,"
                + " implicit=true)>"),
        Arguments.of(
            "a: [1, 2\n",
            "ERR p.yaml:1:9: invalid YAML: while parsing a flow sequence: expected ',' or ']', but"
                + " got <stream end>"),
        Arguments.of(
            "a: b: c\n", "ERR p.yaml:1:5: invalid YAML: mapping values are not allowed here"),
        Arguments.of(
            "a: 1\nb:\n  c: 1\n  c: 2\n", "ERR p.yaml:4:4: invalid YAML: Duplicate field 'c'"),
        Arguments.of(
            "a: \"caf\\u",
            "ERR p.yaml:1:2: invalid YAML: Malformed Number token: failed to tokenize due to"
                + " (java.lang.NumberFormatException): For input string: \"\" under radix 16"),
        Arguments.of(
            "- !!binary '%%%'\n",
            "ERR p.yaml:1:17: invalid YAML: Illegal character '%' (code 0x25) in base64 content"),
        Arguments.of(
            "  a: 1\n b: 2\n",
            "ERR p.yaml:2:2: invalid YAML: expected '<document start>', but found '<block mapping"
                + " start>'"));
  }

  private String typed(String yaml) {
    try {
      JsonNode node = reader.readFirst("p.yaml", yaml);
      JsonNode value = node.has("v") ? node.get("v") : node;
      return value.getNodeType() + "/" + value.numberType() + " " + value;
    } catch (TagflowException e) {
      return "ERR " + e.getMessage();
    }
  }
}
