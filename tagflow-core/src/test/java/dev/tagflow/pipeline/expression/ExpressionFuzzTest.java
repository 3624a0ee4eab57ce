package dev.tagflow.pipeline.expression;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Expressions, templates and conditions as someone pushing a workflow may write them, parsed and
 * evaluated against contexts that hold what an attacker may set (an issue title, a step output). A
 * crash is any exception but ExpressionException (a StackOverflowError, an OutOfMemoryError in the
 * fuzzer's heap included), a parse that names different contexts the second time, or a value that
 * does not come back as itself through JSON.
 */
class ExpressionFuzzTest {

  private static final Contexts CONTEXTS = ExpressionTest.CONTEXTS;

  @DictionaryEntries({
    "${{",
    "}}",
    "'",
    "''",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    ".*",
    "[*]",
    "0x",
    "e-",
    "NaN",
    "Infinity",
    "null",
    "github.event.commits",
    "matrix.fruits.*.name",
    "steps.build.outputs",
    "contains(",
    "startsWith(",
    "format('{0}{{",
    "join(",
    "toJSON(",
    "fromJSON('",
    "success()",
    "always()"
  })
  @FuzzTest
  void parsesAndEvaluatesAnyTextOrSaysWhyNot(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      Expression expression = Expression.parse(text);
      assertThat(Expression.parse(text).contexts()).isEqualTo(expression.contexts());
      Value value = expression.evaluate(CONTEXTS);
      String asText = value.asText();
      if (!hasNonFinite(value)) {
        assertThat(Value.fromJson(value.toJson()).asText()).isEqualTo(asText);
      }
    } catch (ExpressionException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    try {
      Template.parse(text).render(CONTEXTS);
    } catch (ExpressionException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    try {
      Condition.parse(text).test(CONTEXTS);
    } catch (ExpressionException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static boolean hasNonFinite(Value value) {
    return switch (value) {
      case Value.NumberValue n -> !Double.isFinite(n.value());
      case Value.ArrayValue a -> a.items().stream().anyMatch(ExpressionFuzzTest::hasNonFinite);
      case Value.ObjectValue o ->
          o.properties().values().stream().anyMatch(ExpressionFuzzTest::hasNonFinite);
      default -> false;
    };
  }
}
