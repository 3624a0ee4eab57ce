package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tagflow.app.Problem;
import dev.tagflow.yaml.YamlLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An expression check's problem is placed at the character it names, in every way a value can be
 * written; here the check (a stand-in for the expression language, which reports offsets the same
 * way) flags the first {@code BAD} in each value.
 */
class ExpressionPlacementTest {

  private final WorkflowLoader loader =
      new WorkflowLoader(
          YamlLimits.defaults(),
          site -> {
            int bad = site.text().value().indexOf("BAD");
            return bad < 0 ? List.of() : List.of(new ExpressionCheck.Problem(bad, "bad here"));
          });

  @Test
  void placesAProblemAtItsCharacterInPlainQuotedAndBlockValues() {
    String text =
        """
        on: push
        jobs:
          a:
            if: github.ref == BAD
            steps:
              - run: echo ${{ BAD }}
              - run: 'it''s ${{ BAD }}'
              - run: "say ${{ BAD }}"
              - run: |
                  echo one

                  echo ${{ github.BAD }}
              - run: >
                  folded ${{ BAD }}
        """;

    List<Problem> problems =
        assertThrows(InvalidWorkflowException.class, () -> loader.load("w.yml", text)).problems();

    assertThat(problems)
        .extracting(p -> p.line() + ":" + p.column() + " " + p.message())
        .containsExactly(
            "4:23 jobs.a.if: bad here",
            "6:23 jobs.a.steps[0].run: bad here",
            "7:25 jobs.a.steps[1].run: bad here",
            "8:23 jobs.a.steps[2].run: bad here",
            "12:27 jobs.a.steps[3].run: bad here",
            // A folded block's line breaks are folded: its start is as close as it gets.
            "13:14 jobs.a.steps[4].run: bad here");
    String[] lines = text.split("\n");
    assertThat(lines[3].substring(22)).startsWith("BAD");
    assertThat(lines[5].substring(22)).startsWith("BAD");
    assertThat(lines[6].substring(24)).startsWith("BAD");
    assertThat(lines[7].substring(22)).startsWith("BAD");
    assertThat(lines[11].substring(26)).startsWith("BAD");
  }

  @Test
  void theExpressionLanguageRefusesBadSyntaxAndContextsTheirKeyDoesNotOffer() {
    String text =
        """
        on: push
        env:
          TOKEN: ${{ secrets.TOKEN }}
        jobs:
          a:
            if: secrets.TOKEN != ''
            env:
              KEY: ${{ hashFiles('pom.xml') }}
            steps:
              - run: |
                  echo start
                  echo ${{ github.ref_name ) }}
              - run: echo ${{ success() }}
              - if: ${{ github.ref_type == 'tag' }} && true
                run: echo mixed
              # Everything is available in a step's run: no problem here.
              - run: echo ${{ steps.x.outputs.y }} ${{ secrets.TOKEN }} ${{ hashFiles('**/*.xml') }}
        """;

    List<Problem> problems =
        assertThrows(InvalidWorkflowException.class, () -> new WorkflowLoader().load("w.yml", text))
            .problems();

    assertThat(problems)
        .extracting(p -> p.line() + ":" + p.column() + " " + p.message())
        .satisfiesExactly(
            p -> assertThat(p).startsWith("6:9 jobs.a.if: the context 'secrets' is not available"),
            p -> assertThat(p).startsWith("8:16 jobs.a.env.KEY: hashFiles() is not available"),
            p -> assertThat(p).startsWith("12:36 jobs.a.steps[0].run: unexpected ')'"),
            p -> assertThat(p).startsWith("13:23 jobs.a.steps[1].run: success() is not available"),
            p ->
                assertThat(p)
                    .startsWith(
                        "14:13 jobs.a.steps[2].if: the condition has text outside its ${{ }}"));
    String[] lines = text.split("\n");
    assertThat(lines[5].substring(8)).startsWith("secrets");
    assertThat(lines[7].substring(15)).startsWith("hashFiles");
    assertThat(lines[11].substring(35)).startsWith(")");
    assertThat(lines[12].substring(22)).startsWith("success");
  }
}
