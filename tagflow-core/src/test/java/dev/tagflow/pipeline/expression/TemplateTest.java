package dev.tagflow.pipeline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Strings with ${{ }} in them, as run:, with: and env: values are. */
class TemplateTest {

  static final Contexts CONTEXTS = ExpressionTest.CONTEXTS;

  static Stream<Arguments> renderings() {
    return Stream.of(
        arguments("plain text", "plain text"),
        arguments("", ""),
        arguments("${{ github.ref_name }}", "v1.2.3"),
        arguments("echo ${{ github.ref_name }} > version", "echo v1.2.3 > version"),
        arguments("${{github.ref_name}}-${{ github.run_id }}", "v1.2.3-42"),
        arguments("${{ format('{{0}}', 'x') }}", "{0}"),
        arguments("${{ 'a }} b' }}", "a }} b"),
        arguments("${{ 'it''s }}' }}", "it's }}"),
        arguments("${{ 3 }} ${{ true }} ${{ null }}.", "3 true ."),
        arguments("${{ 0.1 }}", "0.1"),
        arguments("$ {{ not an expression }}", "$ {{ not an expression }}"),
        arguments("{{ matrix.os }}", "{{ matrix.os }}"),
        arguments(
            "${{ steps.build.outputs }}", "{\n  \"version\": \"1.2.3\",\n  \"count\": \"10\"\n}"),
        arguments("v=${{ steps.build.outputs.version || 'dev' }}", "v=1.2.3"),
        arguments("line1\n${{ matrix.os }}\nline3", "line1\nubuntu-latest\nline3"));
  }

  @ParameterizedTest(name = "{0} renders {1}")
  @MethodSource("renderings")
  void rendersEveryExpressionIntoTheString(String text, String expected) {
    assertThat(Template.parse(text).render(CONTEXTS)).isEqualTo(expected);
  }

  @Test
  void keepsTheValueOfAStringThatIsOneExpression() {
    assertThat(Template.parse("${{ fromJSON('{\"a\":1}') }}").evaluate(CONTEXTS))
        .isInstanceOf(Value.ObjectValue.class);
    assertThat(Template.parse("${{ matrix.java }}").evaluate(CONTEXTS)).isEqualTo(Value.of(21));
    assertThat(Template.parse("java ${{ matrix.java }}").evaluate(CONTEXTS))
        .isEqualTo(Value.of("java 21"));
  }

  @Test
  void saysWhetherItIsLiteralAndWhichContextsItReads() {
    assertThat(Template.parse("mvn -B verify").isLiteral()).isTrue();
    assertThat(Template.parse("mvn -B verify").contexts()).isEmpty();
    Template template = Template.parse("${{ env.A }}/${{ secrets.TOKEN }}/${{ ENV.b }}");
    assertThat(template.isLiteral()).isFalse();
    assertThat(template.contexts()).containsExactly("env", "secrets");
    assertThat(template.expressions()).hasSize(3);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        arguments("echo ${{ github.ref", 5, "'${{' is not closed with '}}'"),
        arguments("echo ${{ 'unclosed }}", 5, "'${{' is not closed"),
        arguments("a ${{ }} b", 5, "the expression is empty"),
        arguments("run ${{ github.ref == }}", 22, "expected a value"),
        arguments("x ${{ nope.a }}", 6, "unknown context 'nope'"),
        arguments("${{ a }} ${{ b }}", 4, "unknown context 'a'"),
        arguments("ok ${{ github.ref }} then ${{ toYAML(x) }}", 30, "unknown function 'toYAML'"));
  }

  @ParameterizedTest(name = "{0}: {2} at offset {1}")
  @MethodSource("mistakes")
  void placesAMistakeInTheWholeString(String text, int offset, String message) {
    ExpressionException e =
        catchThrowableOfType(ExpressionException.class, () -> Template.parse(text));
    assertThat(e).as("refused: %s", text).isNotNull();
    assertThat(e.getMessage()).contains(message).endsWith("(column " + (offset + 1) + ")");
    assertThat(e.offset()).isEqualTo(offset);
  }
}
