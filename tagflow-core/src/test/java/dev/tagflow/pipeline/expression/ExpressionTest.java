package dev.tagflow.pipeline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tagflow.PlainJson;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.ObjectMapper;

/**
 * The language, table by table, from the examples of GitHub's "Evaluate expressions in workflows
 * and actions" and "Contexts reference": literals, each operator, each coercion, each function,
 * object filters.
 */
class ExpressionTest {

  static final Contexts CONTEXTS = contexts();

  static Contexts contexts() {
    try {
      ObjectMapper json = PlainJson.MAPPER;
      return Contexts.builder()
          .put(
              "github",
              Value.fromJson(
                  json.readTree(
                      """
                      {"ref": "refs/tags/v1.2.3", "ref_name": "v1.2.3", "ref_type": "tag",
                       "event_name": "push", "repository": "octo-org/shop", "run_id": "42",
                       "event": {"issue": {"labels": [{"name": "bug"}, {"name": "help wanted"}]},
                                 "commits": [{"message": "fix"}, {"message": "feat"}]}}
                      """)))
          .put(
              "env",
              Value.fromJson(
                  json.readTree(
                      """
                      {"continue": "true", "time": "3", "EMPTY": "", "Mixed_Case": "yes"}
                      """)))
          .put(
              "steps",
              Value.fromJson(
                  json.readTree(
                      """
                      {"build": {"outcome": "success", "conclusion": "success",
                                 "outputs": {"version": "1.2.3", "count": "10"}},
                       "test": {"outcome": "failure", "conclusion": "success", "outputs": {}}}
                      """)))
          .put(
              "matrix",
              Value.fromJson(
                  json.readTree(
                      """
                      {"fruits": [{"name": "apple", "quantity": 1}, {"name": "orange", "quantity": 2},
                                  {"name": "pear", "quantity": 1}],
                       "vegetables": [{"name": "carrot", "colors": {"orange": {"ediblePortions": ["roots", "stems", "leaves"]}}},
                                      {"name": "cabbage", "colors": {"green": {"ediblePortions": ["leaves"]}}}],
                       "os": "ubuntu-latest", "java": 21}
                      """)))
          .build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Value eval(String expression) {
    return Expression.parse(expression).evaluate(CONTEXTS);
  }

  static Value text(String s) {
    return Value.of(s);
  }

  static Value number(double d) {
    return Value.of(d);
  }

  static Value array(Value... items) {
    return Value.array(List.of(items));
  }

  static Stream<Arguments> literals() {
    return Stream.of(
        arguments("null", Value.NULL),
        arguments("false", Value.FALSE),
        arguments("true", Value.TRUE),
        arguments("711", number(711)),
        arguments("-9.2", number(-9.2)),
        arguments("0xff", number(255)),
        arguments("-2.99e-2", number(-0.0299)),
        arguments("'It''s open source!'", text("It's open source!")),
        arguments("''", text("")),
        arguments("'${{ not nested }}'", text("${{ not nested }}")),
        arguments("1.5", number(1.5)),
        arguments(".5", number(0.5)),
        arguments("+3", number(3)),
        arguments("1e3", number(1000)),
        arguments("0o17", number(15)),
        arguments("0xFFFFFFFF", number(-1)),
        arguments("Infinity", number(Double.POSITIVE_INFINITY)),
        arguments("-Infinity", number(Double.NEGATIVE_INFINITY)),
        arguments("  42  ", number(42)));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("literals")
  void readsLiteralsAsGitHubDoes(String expression, Value expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  @Test
  void readsNaNAsANumberThatIsNotItself() {
    assertThat(eval("NaN")).isInstanceOf(Value.NumberValue.class);
    assertThat(eval("NaN == NaN")).isEqualTo(Value.FALSE);
    assertThat(eval("NaN != NaN")).isEqualTo(Value.TRUE);
  }

  static Stream<Arguments> operators() {
    return Stream.of(
        // ( ) grouping, [ ] index, . dereference
        arguments("(1 == 1) && (2 == 2)", Value.TRUE),
        arguments("github['ref_name']", text("v1.2.3")),
        arguments("github.ref_name", text("v1.2.3")),
        arguments("github.event.commits[1].message", text("feat")),
        arguments("github.event.commits[1.9].message", text("feat")),
        arguments("github.event.commits[2]", Value.NULL),
        arguments("github.event.commits[-1]", Value.NULL),
        arguments("github.event.commits['x']", Value.NULL),
        arguments("github.nothing.deeper", Value.NULL),
        arguments("steps.build.outputs['version']", text("1.2.3")),
        // property names ignore case, as contexts' names do
        arguments("GITHUB.REF_NAME", text("v1.2.3")),
        arguments("env.mixed_case", text("yes")),
        // ! not
        arguments("!true", Value.FALSE),
        arguments("!0", Value.TRUE),
        arguments("!''", Value.TRUE),
        arguments("!'false'", Value.FALSE),
        arguments("!github", Value.FALSE),
        arguments("!!null", Value.FALSE),
        // < <= > >=
        arguments("1 < 2", Value.TRUE),
        arguments("2 <= 2", Value.TRUE),
        arguments("3 > 2", Value.TRUE),
        arguments("2 >= 3", Value.FALSE),
        arguments("'abc' < 'ABD'", Value.TRUE),
        arguments("'b' > 'A'", Value.TRUE),
        arguments("false < true", Value.TRUE),
        arguments("steps.build.outputs.count > 9", Value.TRUE),
        arguments("'10' > '9'", Value.FALSE),
        arguments("github < github", Value.FALSE),
        arguments("github <= github", Value.TRUE),
        // == !=
        arguments("'Hello' == 'hELLO'", Value.TRUE),
        arguments("'Hello' != 'hello'", Value.FALSE),
        arguments("github.ref_type == 'tag'", Value.TRUE),
        // && || return an operand, not a boolean
        arguments("'a' && 'b'", text("b")),
        arguments("'' && 'b'", text("")),
        arguments("0 || 'fallback'", text("fallback")),
        arguments("null || 0", number(0)),
        arguments("github.ref == 'refs/tags/v1.2.3' && 'release' || 'snapshot'", text("release")),
        arguments("github.ref == 'refs/heads/main' && 'release' || 'snapshot'", text("snapshot")),
        // precedence: ! over comparison over equality over && over ||
        arguments("!false == true", Value.TRUE),
        arguments("1 < 2 == true", Value.TRUE),
        arguments("true || false && false", Value.TRUE),
        arguments("(true || false) && false", Value.FALSE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("operators")
  void appliesEachOperatorAsGitHubDoes(String expression, Value expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  static Stream<Arguments> coercions() {
    return Stream.of(
        // GitHub's table: null is 0, booleans 1/0, strings parsed (blank is 0), arrays/objects NaN
        arguments("null == 0", Value.TRUE),
        arguments("null == false", Value.TRUE),
        arguments("null == ''", Value.TRUE),
        arguments("null == null", Value.TRUE),
        arguments("true == 1", Value.TRUE),
        arguments("false == 0", Value.TRUE),
        arguments("true == 'true'", Value.FALSE),
        arguments("true == '1'", Value.TRUE),
        arguments("'' == 0", Value.TRUE),
        arguments("' 42 ' == 42", Value.TRUE),
        arguments("'0x10' == 16", Value.TRUE),
        arguments("'abc' == 0", Value.FALSE),
        arguments("'1e2' == 100", Value.TRUE),
        arguments("env.time == 3", Value.TRUE),
        arguments("github == github", Value.TRUE),
        arguments("github.event == github.event", Value.TRUE),
        arguments("fromJSON('{}') == fromJSON('{}')", Value.FALSE),
        arguments("fromJSON('[]') == 0", Value.FALSE),
        arguments("fromJSON('[]') == ''", Value.FALSE),
        arguments("github == null", Value.FALSE),
        arguments("-0 == 0", Value.TRUE),
        arguments("NaN == 0", Value.FALSE),
        arguments("NaN < 1", Value.FALSE),
        arguments("NaN >= 1", Value.FALSE),
        arguments("Infinity > 1e308", Value.TRUE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("coercions")
  void coercesAsGitHubDoes(String expression, Value expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  static Stream<Arguments> truthiness() {
    return Stream.of(
        arguments("false", false),
        arguments("0", false),
        arguments("-0", false),
        arguments("''", false),
        arguments("null", false),
        arguments("NaN", false),
        arguments("true", true),
        arguments("1", true),
        arguments("'false'", true),
        arguments("'0'", true),
        arguments("fromJSON('[]')", true),
        arguments("fromJSON('{}')", true));
  }

  @ParameterizedTest(name = "{0} is truthy: {1}")
  @MethodSource("truthiness")
  void takesFalsyValuesAsGitHubDoes(String expression, boolean truthy) {
    assertThat(eval(expression).isTruthy()).isEqualTo(truthy);
  }

  static Stream<Arguments> functions() {
    return Stream.of(
        // contains
        arguments("contains('Hello world', 'llo')", Value.TRUE),
        arguments("contains('Hello world', 'LLO')", Value.TRUE),
        arguments("contains('Hello world', 'xyz')", Value.FALSE),
        arguments("contains(github.event.issue.labels.*.name, 'bug')", Value.TRUE),
        arguments("contains(github.event.issue.labels.*.name, 'BUG')", Value.TRUE),
        arguments("contains(github.event.issue.labels.*.name, 'wontfix')", Value.FALSE),
        arguments(
            "contains(fromJSON('[\"push\", \"pull_request\"]'), github.event_name)", Value.TRUE),
        arguments("contains(fromJSON('[1, 2]'), '2')", Value.TRUE),
        arguments("contains(123, 2)", Value.TRUE),
        arguments("contains(github, 'ref')", Value.FALSE),
        arguments("contains('abc', '')", Value.TRUE),
        arguments("contains('a[', fromJSON('[]'))", Value.FALSE),
        arguments("contains(github, fromJSON('not evaluated'))", Value.FALSE),
        arguments("contains(fromJSON('[]'), fromJSON('not evaluated'))", Value.FALSE),
        arguments("startsWith(github, fromJSON('not evaluated'))", Value.FALSE),
        arguments("endsWith('x', github)", Value.FALSE),
        // startsWith / endsWith
        arguments("startsWith('Hello world', 'He')", Value.TRUE),
        arguments("startsWith('Hello world', 'he')", Value.TRUE),
        arguments("startsWith(github.ref, 'refs/tags/')", Value.TRUE),
        arguments("startsWith('Hello world', 'world')", Value.FALSE),
        arguments("startsWith(github, 'x')", Value.FALSE),
        arguments("endsWith('Hello world', 'ld')", Value.TRUE),
        arguments("endsWith('Hello world', 'LD')", Value.TRUE),
        arguments("endsWith('Hello world', 'He')", Value.FALSE),
        arguments("endsWith(1.5, 5)", Value.TRUE),
        // format
        arguments(
            "format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')",
            text("Hello Mona the Octocat")),
        arguments(
            "format('{{Hello {0} {1} {2}!}}', 'Mona', 'the', 'Octocat')",
            text("{Hello Mona the Octocat!}")),
        arguments("format('{0}{0}{1}', 'a', 2)", text("aa2")),
        arguments("format('{000}-{01}', 'a', 2)", text("a-2")),
        arguments("format('v{0}', steps.build.outputs.version)", text("v1.2.3")),
        arguments("format('{0} {1} {2}', null, true, 0.5)", text(" true 0.5")),
        arguments("format('no placeholders')", text("no placeholders")),
        // join
        arguments("join(github.event.issue.labels.*.name, ', ')", text("bug, help wanted")),
        arguments("join(fromJSON('[1, true, null, \"x\"]'))", text("1,true,,x")),
        arguments("join('abc', '-')", text("abc")),
        arguments("join(fromJSON('[]'), '-')", text("")),
        arguments("join(github, '-')", text("")),
        arguments("join(fromJSON('[\"a\", [1], \"b\"]'), '+')", text("a+[\n  1\n]+b")),
        // toJSON
        arguments("toJSON('a\"b')", text("\"a\\\"b\"")),
        arguments("toJSON(1)", text("1")),
        arguments("toJSON(null)", text("null")),
        arguments("toJSON(fromJSON('[]'))", text("[]")),
        arguments(
            "toJSON(fromJSON('{\"a\":[1,{\"b\":null}]}'))",
            text("{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ]\n}")),
        arguments(
            "toJSON(steps.build.outputs)",
            text("{\n  \"version\": \"1.2.3\",\n  \"count\": \"10\"\n}")),
        // fromJSON
        arguments("fromJSON(env.continue)", Value.TRUE),
        arguments("fromJSON(env.time)", number(3)),
        arguments("fromJSON('\"text\"')", text("text")),
        arguments(
            "fromJSON('{\"include\":[{\"project\":\"foo\"}]}').include[0].project", text("foo")),
        arguments("fromJSON(' [1, 2.5] ')[1]", number(2.5)),
        // names of functions ignore case
        arguments("TOJSON(1)", text("1")),
        arguments("StartsWith('ab', 'a')", Value.TRUE),
        arguments("fromJson('1')", number(1)));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("functions")
  void callsEachFunctionAsGitHubDoes(String expression, Value expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  static Stream<Arguments> filters() {
    return Stream.of(
        arguments("matrix.fruits.*.name", array(text("apple"), text("orange"), text("pear"))),
        arguments("matrix.fruits[*].quantity", array(number(1), number(2), number(1))),
        arguments(
            "matrix.vegetables.*.colors.*.ediblePortions",
            array(array(text("roots"), text("stems"), text("leaves")), array(text("leaves")))),
        arguments(
            "matrix.vegetables.*.colors.*.ediblePortions.*",
            array(text("roots"), text("stems"), text("leaves"), text("leaves"))),
        arguments(
            "matrix.vegetables.*.colors.*.ediblePortions[0]", array(text("roots"), text("leaves"))),
        arguments("matrix.fruits.*.missing", array()),
        arguments("steps.*.outcome", array(text("success"), text("failure"))),
        arguments("github.ref.*", array()),
        arguments("null.*", array()));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("filters")
  void filtersObjectsAsGitHubDoes(String expression, Value expected) {
    // 'null.*' is not valid: a literal has no properties. Everything else reads a context.
    if (expression.startsWith("null")) {
      assertThatThrownBy(() -> Expression.parse(expression))
          .isInstanceOf(ExpressionException.class);
      return;
    }
    assertThat(eval(expression)).isEqualTo(expected);
  }

  @Test
  void usesFiltersInFunctions() {
    assertThat(eval("contains(steps.*.outcome, 'failure')")).isEqualTo(Value.TRUE);
    assertThat(eval("join(matrix.fruits.*.name)")).isEqualTo(text("apple,orange,pear"));
  }

  static Stream<Arguments> texts() {
    return Stream.of(
        arguments(Value.NULL, ""),
        arguments(Value.TRUE, "true"),
        arguments(Value.FALSE, "false"),
        arguments(number(3), "3"),
        arguments(number(-0.0), "0"),
        arguments(number(0.5), "0.5"),
        arguments(number(-2.5), "-2.5"),
        arguments(number(0.1 + 0.2), "0.3"),
        arguments(number(1.0 / 3), "0.333333333333333"),
        arguments(number(123456789012345.0), "123456789012345"),
        arguments(number(1e15), "1E+15"),
        arguments(number(1234567890123456.0), "1.23456789012346E+15"),
        arguments(number(0.0001), "0.0001"),
        arguments(number(0.00001), "1E-05"),
        arguments(number(-1.5e-7), "-1.5E-07"),
        arguments(number(1e100), "1E+100"),
        arguments(number(Double.NaN), "NaN"),
        arguments(number(Double.POSITIVE_INFINITY), "Infinity"),
        arguments(number(Double.NEGATIVE_INFINITY), "-Infinity"),
        arguments(text("as is"), "as is"),
        arguments(array(number(1), text("a")), "[\n  1,\n  \"a\"\n]"),
        arguments(Value.object(Map.of("k", Value.TRUE)), "{\n  \"k\": true\n}"));
  }

  @ParameterizedTest(name = "{0} reads {1}")
  @MethodSource("texts")
  void writesValuesIntoStringsAsGitHubDoes(Value value, String expected) {
    assertThat(value.asText()).isEqualTo(expected);
  }

  @Test
  void namesTheContextsItReadsAndWhetherItUsesAStatusFunction() {
    Expression expression =
        Expression.parse("success() && startsWith(GITHUB.ref, 'refs/tags/') && steps.a.outputs.b");
    assertThat(expression.contexts()).containsExactly("github", "steps");
    assertThat(expression.usesStatusFunction()).isTrue();
    assertThat(Expression.parse("matrix.os").usesStatusFunction()).isFalse();
    assertThat(Expression.parse("'github'").contexts()).isEmpty();
  }

  @Test
  void readsAContextThatWasNotGivenAsNull() {
    assertThat(eval("inputs.version")).isEqualTo(Value.NULL);
    assertThat(eval("inputs.version || 'latest'")).isEqualTo(text("latest"));
  }

  @Test
  void convertsToAndFromJackson() throws Exception {
    var json = PlainJson.MAPPER.readTree("{\"a\":[1,2.5,\"x\",true,null],\"b\":{}}");
    Value value = Value.fromJson(json);
    assertThat(value.toJson().toString()).isEqualTo(json.toString());
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        arguments(Contexts.Status.SUCCESS, "success()", true),
        arguments(Contexts.Status.SUCCESS, "failure()", false),
        arguments(Contexts.Status.SUCCESS, "cancelled()", false),
        arguments(Contexts.Status.SUCCESS, "always()", true),
        arguments(Contexts.Status.FAILURE, "success()", false),
        arguments(Contexts.Status.FAILURE, "failure()", true),
        arguments(Contexts.Status.FAILURE, "always()", true),
        arguments(Contexts.Status.CANCELLED, "cancelled()", true),
        arguments(Contexts.Status.CANCELLED, "success()", false),
        arguments(Contexts.Status.CANCELLED, "always()", true));
  }

  @ParameterizedTest(name = "when {0}, {1} is {2}")
  @MethodSource("statuses")
  void reportsTheJobStatus(Contexts.Status status, String expression, boolean expected) {
    Contexts contexts = Contexts.builder().status(status).build();
    assertThat(Expression.parse(expression).evaluate(contexts)).isEqualTo(Value.of(expected));
  }
}
