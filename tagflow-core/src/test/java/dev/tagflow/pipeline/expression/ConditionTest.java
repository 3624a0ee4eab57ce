package dev.tagflow.pipeline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** if: as GitHub runs it: with or without ${{ }}, and success() && … unless a status is asked. */
class ConditionTest {

  static Contexts when(Contexts.Status status) {
    return new Contexts(
        ExpressionTest.CONTEXTS.values(),
        status,
        java.util.Optional.empty(),
        ExpressionLimits.defaults());
  }

  static Stream<Arguments> conditions() {
    return Stream.of(
        // no status function: success() && (…)
        arguments("github.ref_type == 'tag'", Contexts.Status.SUCCESS, true),
        arguments("github.ref_type == 'tag'", Contexts.Status.FAILURE, false),
        arguments("github.ref_type == 'tag'", Contexts.Status.CANCELLED, false),
        arguments("${{ github.ref_type == 'tag' }}", Contexts.Status.SUCCESS, true),
        arguments("${{ github.ref_type == 'tag' }}", Contexts.Status.FAILURE, false),
        arguments("  ${{ github.ref_type == 'branch' }}  ", Contexts.Status.SUCCESS, false),
        arguments("true", Contexts.Status.FAILURE, false),
        arguments("", Contexts.Status.SUCCESS, true),
        arguments("", Contexts.Status.FAILURE, false),
        arguments("'false'", Contexts.Status.SUCCESS, true),
        arguments("0", Contexts.Status.SUCCESS, false),
        // a status function: as written
        arguments("failure()", Contexts.Status.FAILURE, true),
        arguments("failure()", Contexts.Status.SUCCESS, false),
        arguments("${{ failure() }}", Contexts.Status.FAILURE, true),
        arguments("always()", Contexts.Status.CANCELLED, true),
        arguments("cancelled()", Contexts.Status.CANCELLED, true),
        arguments("always() && github.ref_type == 'tag'", Contexts.Status.FAILURE, true),
        arguments("failure() && steps.test.outcome == 'failure'", Contexts.Status.FAILURE, true),
        arguments("!cancelled()", Contexts.Status.FAILURE, true),
        arguments("${{ !cancelled() }}", Contexts.Status.CANCELLED, false),
        arguments("success() || failure()", Contexts.Status.FAILURE, true));
  }

  @ParameterizedTest(name = "if: {0} when {1} runs: {2}")
  @MethodSource("conditions")
  void runsAsGitHubDecides(String condition, Contexts.Status status, boolean runs) {
    assertThat(Condition.parse(condition).test(when(status))).isEqualTo(runs);
  }

  @Test
  void doesNotEvaluateTheConditionOnceTheJobFailed() {
    // fromJSON of a non-JSON string would fail: success() && … stops before it.
    Condition condition = Condition.parse("fromJSON(github.ref_name)");
    assertThat(condition.test(when(Contexts.Status.FAILURE))).isFalse();
  }

  @Test
  void namesItsContextsAndWhetherItAsksForAStatus() {
    Condition condition = Condition.parse("${{ always() && matrix.os == 'linux' }}");
    assertThat(condition.usesStatusFunction()).isTrue();
    assertThat(condition.contexts()).containsExactly("matrix");
    assertThat(Condition.parse("").contexts()).isEmpty();
    assertThat(Condition.parse("").usesStatusFunction()).isFalse();
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        arguments("${{ github.ref }} == 'x'", 0, "text outside its ${{ }}"),
        arguments("  ${{ a.b }}", 6, "unknown context 'a'"),
        arguments("${{ github.ref", 0, "'${{' is not closed"),
        arguments("github.ref == ", 14, "expected a value"));
  }

  @ParameterizedTest(name = "if: {0}: {2}")
  @MethodSource("mistakes")
  void refusesAConditionThatCannotMeanWhatItSays(String text, int offset, String message) {
    ExpressionException e =
        catchThrowableOfType(ExpressionException.class, () -> Condition.parse(text));
    assertThat(e).as("refused: %s", text).isNotNull();
    assertThat(e.getMessage()).contains(message);
    assertThat(e.offset()).isEqualTo(offset);
  }
}
