package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matrix expansion, by the examples of GitHub's "Running variations of jobs in a workflow". */
class MatrixTest {

  private final WorkflowLoader loader = new WorkflowLoader();

  @Test
  void includeExtendsCombinationsWithoutOverwritingTheirOriginalValues() {
    Matrix.Values matrix =
        matrix(
            """
            fruit: [apple, pear]
            animal: [cat, dog]
            include:
              - color: green
              - color: pink
                animal: cat
              - fruit: apple
                shape: circle
              - fruit: banana
              - fruit: banana
                animal: cat
            """);

    assertThat(matrix.combinations())
        .containsExactly(
            map("fruit", "apple", "animal", "cat", "color", "pink", "shape", "circle"),
            map("fruit", "apple", "animal", "dog", "color", "green", "shape", "circle"),
            map("fruit", "pear", "animal", "cat", "color", "pink"),
            map("fruit", "pear", "animal", "dog", "color", "green"),
            map("fruit", "banana"),
            map("fruit", "banana", "animal", "cat"));
  }

  @Test
  void excludeRemovesEveryCombinationItAgreesWith() {
    Matrix.Values matrix =
        matrix(
            """
            os: [macos-latest, windows-latest]
            version: [12, 14, 16]
            environment: [staging, production]
            exclude:
              - os: macos-latest
                version: 12
                environment: production
              - os: windows-latest
                version: 16
            """);

    assertThat(matrix.product()).isEqualTo(12);
    assertThat(matrix.combinations()).hasSize(9);
    assertThat(matrix.combinations())
        .noneMatch(c -> c.get("os").equals("windows-latest") && c.get("version").equals(16L));
  }

  @Test
  void aMatrixOfIncludesOnlyMakesOneJobPerEntry() {
    Matrix.Values matrix =
        matrix("include:\n  - {site: production, datacenter: site-a}\n  - {site: staging}\n");

    assertThat(matrix.combinations())
        .containsExactly(map("site", "production", "datacenter", "site-a"), map("site", "staging"));
  }

  @Test
  void axesGivenByExpressionsAreKeptForTheRun() {
    Workflow w =
        loader.load(
            "w.yml",
            """
            on: push
            jobs:
              a:
                strategy:
                  matrix:
                    java: ${{ fromJSON(needs.plan.outputs.versions) }}
                    os: [linux]
                steps: [{run: x}]
              b:
                strategy:
                  matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}
                steps: [{run: x}]
            """);

    Matrix.Values a = (Matrix.Values) w.jobs().get("a").strategy().orElseThrow().matrix();
    assertThat(a.expressionAxes()).containsOnlyKeys("java");
    assertThat(a.axes()).containsOnlyKeys("os");
    assertThat(w.jobs().get("b").strategy().orElseThrow().matrix())
        .isInstanceOf(Matrix.FromExpression.class);
  }

  private Matrix.Values matrix(String matrix) {
    String indented = matrix.indent(10);
    Workflow w =
        loader.load(
            "w.yml",
            "on: push\njobs:\n  a:\n    strategy:\n      matrix:\n"
                + indented
                + "    steps: [{run: x}]\n");
    return (Matrix.Values) w.jobs().get("a").strategy().orElseThrow().matrix();
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
