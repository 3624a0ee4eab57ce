package dev.tagflow.pipeline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GitHub's context availability: what each place of a workflow may read and call. */
class PlaceTest {

  static Stream<Arguments> allowed() {
    return Stream.of(
        arguments(Place.WORKFLOW_ENV, "${{ secrets.TOKEN }}-${{ github.sha }}"),
        arguments(Place.JOB_IF, "${{ success() && needs.build.result == 'success' }}"),
        arguments(Place.JOB_IF, "${{ always() && vars.RELEASE && inputs.force }}"),
        arguments(Place.JOB_STRATEGY, "${{ fromJSON(needs.plan.outputs.matrix) }}"),
        arguments(Place.JOB_ENV, "${{ matrix.java }}-${{ secrets.KEY }}-${{ strategy.job-index }}"),
        arguments(Place.JOB_SETTING, "${{ matrix.os }}"),
        arguments(Place.JOB_DEFAULTS_RUN, "${{ env.SHELL }}"),
        arguments(Place.JOB_OUTPUTS, "${{ steps.version.outputs.value }}"),
        arguments(Place.STEP_IF, "${{ failure() && hashFiles('**/*.log') != '' }}"),
        arguments(
            Place.STEP_SETTING,
            "mvn -Drevision=${{ steps.v.outputs.v }} -Dkey=${{ hashFiles('pom.xml') }}"
                + " ${{ runner.os }} ${{ job.status }} ${{ secrets.T }}"));
  }

  @ParameterizedTest(name = "{0} allows {1}")
  @MethodSource("allowed")
  void allowsWhatGitHubAllows(Place place, String template) {
    assertThatCode(() -> place.check(Template.parse(template))).doesNotThrowAnyException();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        arguments(
            Place.WORKFLOW_ENV,
            "x ${{ matrix.os }}",
            6,
            "the context 'matrix' is not available in env"),
        arguments(
            Place.WORKFLOW_ENV, "${{ env.A }}", 4, "the context 'env' is not available in env"),
        arguments(
            Place.JOB_IF,
            "${{ steps.a.outcome }}",
            4,
            "the context 'steps' is not available in jobs.<job_id>.if; it can read github, inputs, needs, vars"),
        arguments(
            Place.JOB_IF,
            "${{ hashFiles('x') }}",
            4,
            "hashFiles() is not available in jobs.<job_id>.if"),
        arguments(
            Place.JOB_STRATEGY,
            "${{ matrix.os }}",
            4,
            "'matrix' is not available in jobs.<job_id>.strategy"),
        arguments(Place.JOB_ENV, "${{ env.X }}", 4, "'env' is not available in jobs.<job_id>.env"),
        arguments(Place.JOB_ENV, "${{ hashFiles('x') }}", 4, "hashFiles() is not available"),
        arguments(Place.JOB_SETTING, "${{ secrets.X }}", 4, "'secrets' is not available"),
        arguments(
            Place.STEP_IF,
            "${{ secrets.X != '' }}",
            4,
            "'secrets' is not available in jobs.<job_id>.steps.if"),
        arguments(
            Place.STEP_SETTING,
            "echo ${{ success() }}",
            9,
            "success() is not available in jobs.<job_id>.steps.run; the status functions work in a job's or a step's if"),
        arguments(
            Place.STEP_SETTING,
            "echo ${{ format('{0}', always()) }}",
            23,
            "always() is not available"));
  }

  @ParameterizedTest(name = "{0} refuses {1}")
  @MethodSource("refused")
  void refusesWhatGitHubRefusesWithTheColumn(
      Place place, String template, int offset, String message) {
    ExpressionException e =
        catchThrowableOfType(
            ExpressionException.class, () -> place.check(Template.parse(template)));
    assertThat(e).as("refused: %s", template).isNotNull();
    assertThat(e.getMessage()).contains(message);
    assertThat(e.offset()).isEqualTo(offset);
  }

  @ParameterizedTest(name = "if: {0}")
  @MethodSource("conditions")
  void placesARefusedConditionInItsOwnText(String condition, int offset) {
    ExpressionException e =
        catchThrowableOfType(
            ExpressionException.class, () -> Place.JOB_IF.check(Condition.parse(condition)));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("the context 'steps' is not available");
    assertThat(e.offset()).isEqualTo(offset);
  }

  static Stream<Arguments> conditions() {
    return Stream.of(
        arguments("steps.a.outcome == 'success'", 0),
        arguments("  ${{ steps.a.outcome }}", 6),
        arguments("${{ github.ref && steps.a }}", 18));
  }
}
