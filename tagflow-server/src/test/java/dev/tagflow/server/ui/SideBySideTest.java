package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.diff.UnifiedDiff;
import dev.tagflow.server.ui.SideBySide.Kind;
import dev.tagflow.server.ui.SideBySide.Row;
import org.junit.jupiter.api.Test;

/** A unified diff laid out in two columns: replaced lines side by side, line numbers kept. */
class SideBySideTest {

  @Test
  void aReplacedLineSitsBesideItsReplacementAndAnAddedOneStandsAlone() {
    String live = "a\nb\nreplicas: 1\nc\nd\n";
    String desired = "a\nb\nreplicas: 3\nc\nd\nnew: line\n";
    SideBySide rows = SideBySide.of(UnifiedDiff.of(live, desired, "live", "desired"));
    assertThat(rows.rows().getFirst().kind()).isEqualTo(Kind.HUNK);
    assertThat(rows.rows())
        .contains(new Row(Kind.CHANGED, 3, "replicas: 1", 3, "replicas: 3"))
        .contains(new Row(Kind.SAME, 4, "c", 4, "c"))
        .contains(new Row(Kind.ADDED, 0, "", 6, "new: line"));
    Row added = rows.rows().getLast();
    assertThat(added.liveClass()).isEqualTo("none");
    assertThat(added.desiredClass()).isEqualTo("add");
  }

  @Test
  void moreRemovedThanAddedLinesLeaveTheRestOnTheLiveSide() {
    SideBySide rows =
        SideBySide.of(UnifiedDiff.of("x: 1\ny: 2\nz: 3\n", "x: 9\n", "live", "desired"));
    assertThat(rows.rows())
        .containsExactly(
            new Row(Kind.HUNK, 0, "@@ -1,3 +1,1 @@", 0, "@@ -1,3 +1,1 @@"),
            new Row(Kind.CHANGED, 1, "x: 1", 1, "x: 9"),
            new Row(Kind.REMOVED, 2, "y: 2", 0, ""),
            new Row(Kind.REMOVED, 3, "z: 3", 0, ""));
  }

  @Test
  void noDifferenceIsNoRow() {
    assertThat(SideBySide.of("").rows()).isEmpty();
  }
}
