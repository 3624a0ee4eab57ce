package dev.tagflow.pipeline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every mistake a workflow author can make in an expression, with what is said and where. */
class ExpressionErrorTest {

  static Stream<Arguments> mistakes() {
    return Stream.of(
        arguments("", 0, "the expression is empty"),
        arguments("   ", 0, "the expression is empty"),
        arguments("\"double\"", 0, "strings take single quotes"),
        arguments("'not closed", 0, "the string is not closed"),
        arguments("github.ref == 'a", 14, "the string is not closed"),
        arguments("foo.bar", 0, "unknown context 'foo'"),
        arguments("github.ref == main", 14, "unknown context 'main'"),
        arguments("toYAML(github)", 0, "unknown function 'toYAML'"),
        arguments("contains('a')", 0, "contains takes 2 arguments, not 1"),
        arguments("contains('a', 'b', 'c')", 0, "contains takes 2 arguments, not 3"),
        arguments("success(1)", 0, "success takes 0 arguments, not 1"),
        arguments("format()", 0, "format takes at least 1 argument, not 0"),
        arguments("join()", 0, "join takes 1 or 2 arguments, not 0"),
        arguments("format('{0} {1}', 'a')", 7, "uses {1} but has 1 argument after the format"),
        arguments("format('{', 'a')", 7, "that is not {N} or {{"),
        arguments("format('}', 'a')", 7, "that closes nothing"),
        arguments("format('{0:x}', 'a')", 7, "that is not {N} or {{"),
        arguments("1 +", 2, "'+' is not a number"),
        arguments("1.2.3", 0, "'1.2.3' is not a number"),
        arguments("0x", 0, "'0x' is not a number"),
        arguments("0x1FFFFFFFF", 0, "is not a number"),
        arguments("github.ref = 'a'", 11, "unexpected '='"),
        arguments("a & b", 2, "unexpected '&'"),
        arguments("github.ref ==", 13, "expected a value, a context or a function"),
        arguments("(github.ref", 11, "expected ')' to close the '(' at column 1"),
        arguments("github['ref'", 12, "expected ']' to close the '[' at column 7"),
        arguments("github.", 7, "expected a property name or * after '.'"),
        arguments("github.'ref'", 7, "expected a property name or * after '.'"),
        arguments("'a'.length", 3, "a literal has no properties"),
        arguments("1[0]", 1, "a literal cannot be indexed"),
        arguments("github ref", 7, "unexpected 'ref' after a complete expression"),
        arguments("${{ github.ref }}", 0, "${{ }} cannot be nested"),
        arguments("github.ref }}", 11, "${{ }} cannot be nested"),
        arguments(
            "contains(github.ref 'x')", 20, "expected ',' or ')' in the arguments of contains"),
        arguments("github.ref#", 10, "unexpected character '#'"),
        arguments("github.ref\u0000", 10, "unexpected character '\\u0000'"),
        arguments("*", 0, "expected a value, a context or a function but found '*'"),
        arguments("github[*", 8, "expected ']' after '[*'"));
  }

  @ParameterizedTest(name = "{0}: {2} at offset {1}")
  @MethodSource("mistakes")
  void saysWhatIsWrongAndWhere(String text, int offset, String message) {
    ExpressionException e =
        catchThrowableOfType(ExpressionException.class, () -> Expression.parse(text));
    assertThat(e).as("refused: %s", text).isNotNull();
    assertThat(e.getMessage()).contains(message).endsWith("(column " + (offset + 1) + ")");
    assertThat(e.offset()).isEqualTo(offset);
  }

  static Stream<Arguments> evaluationMistakes() {
    return Stream.of(
        arguments("fromJSON('')", 0, "fromJSON: the string is empty"),
        arguments("fromJSON('{')", 0, "fromJSON: the JSON text ends too early"),
        arguments("fromJSON('[1] 2')", 0, "there is more after the JSON value"),
        arguments("fromJSON('NaN')", 0, "fromJSON: not JSON"),
        arguments("1 == 1 && fromJSON(github.a)", 10, "fromJSON: not JSON"),
        arguments("format(github, 1)", 7, "that is not {N} or {{"),
        arguments("hashFiles('**')", 0, "hashFiles needs a workspace"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("evaluationMistakes")
  void saysWhatFailedWhenItIsEvaluated(String text, int offset, String message) {
    Expression expression = Expression.parse(text);
    Contexts contexts =
        Contexts.builder()
            .put("github", Value.object(java.util.Map.of("a", Value.of("not json"))))
            .build();
    ExpressionException e =
        catchThrowableOfType(ExpressionException.class, () -> expression.evaluate(contexts));
    assertThat(e).as("refused: %s", text).isNotNull();
    assertThat(e.getMessage()).contains(message);
    assertThat(e.offset()).isEqualTo(offset);
  }

  @org.junit.jupiter.api.Test
  void neverQuotesAValueItWasGivenInAMessage() {
    Contexts contexts =
        Contexts.builder()
            .put(
                "secrets",
                Value.object(
                    java.util.Map.of(
                        "TOKEN",
                        Value.of("ghp_s3cr3tValue{"),
                        "JSONISH",
                        Value.of("{\"a\": ghp_s3cr3t}"))))
            .build();
    for (String expression :
        java.util.List.of(
            "fromJSON(secrets.TOKEN)", "fromJSON(secrets.JSONISH)", "format(secrets.TOKEN, 1)")) {
      ExpressionException e =
          catchThrowableOfType(
              ExpressionException.class, () -> Expression.parse(expression).evaluate(contexts));
      assertThat(e).as(expression).isNotNull();
      assertThat(e.getMessage()).as(expression).doesNotContain("s3cr3t");
    }
  }
}
