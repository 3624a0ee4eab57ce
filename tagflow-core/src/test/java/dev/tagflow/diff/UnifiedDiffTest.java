package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

  @Test
  void equalTextsHaveAnEmptyDiff() {
    assertThat(UnifiedDiff.of("a\nb\n", "a\nb\n", "live", "desired")).isEmpty();
  }

  @Test
  void aChangedLineIsShownAsRemovedThenAddedWithItsContext() {
    String before = "a\nb\nc\nd\ne\nf\ng\nh\n";
    String after = "a\nb\nc\nd\nE\nf\ng\nh\n";

    assertThat(UnifiedDiff.of(before, after, "live", "desired"))
        .isEqualTo(
            """
            --- live
            +++ desired
            @@ -2,7 +2,7 @@
             b
             c
             d
            -e
            +E
             f
             g
             h
            """);
  }

  @Test
  void changesFarApartGetHunksOfTheirOwn() {
    StringBuilder before = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      before.append("line").append(i).append('\n');
    }
    String after =
        before.toString().replace("line2\n", "line2x\n").replace("line19\n", "line19x\n");

    String diff = UnifiedDiff.of(before.toString(), after, "live", "desired");

    assertThat(diff.lines().filter(l -> l.startsWith("@@")).count()).isEqualTo(2);
    assertThat(diff).contains("-line2\n+line2x\n").contains("-line19\n+line19x\n");
  }

  @Test
  void addedLinesAtTheEndAreShownWithTheLinesBeforeThem() {
    assertThat(UnifiedDiff.of("a\n", "a\nb\n", "live", "desired"))
        .isEqualTo("--- live\n+++ desired\n@@ -1,1 +1,2 @@\n a\n+b\n");
  }
}
