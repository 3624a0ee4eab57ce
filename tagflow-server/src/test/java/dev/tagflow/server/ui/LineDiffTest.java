package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineDiffTest {

  @Test
  void aChangedValueIsOneRemovedAndOneAddedLineWithItsContext() {
    String before =
        """
        # Values of web in production.
        replicaCount: 2
        image:
          repository: registry.local/web
          tag: "1.2.2"
        """;
    LineDiff diff = LineDiff.of(before, before.replace("1.2.2", "1.2.3"));
    assertThat(diff.changed()).isTrue();
    assertThat(diff.lines().stream().map(l -> l.sign() + l.text()).toList())
        .containsExactly(
            " # Values of web in production.",
            " replicaCount: 2",
            " image:",
            "   repository: registry.local/web",
            "-  tag: \"1.2.2\"",
            "+  tag: \"1.2.3\"");
  }

  @Test
  void longRunsOfUnchangedLinesAreFoldedAndEqualTextsHaveNoChange() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      text.append("key").append(i).append(": ").append(i).append('\n');
    }
    String after = text.toString().replace("key15: 15", "key15: 16");
    LineDiff diff = LineDiff.of(text.toString(), after);
    List<LineDiff.Line> folded =
        diff.lines().stream().filter(l -> l.kind() == LineDiff.Kind.FOLDED).toList();
    assertThat(folded).hasSize(2);
    assertThat(folded.getFirst().text()).isEqualTo("12 unchanged lines");
    assertThat(diff.lines()).hasSize(2 + 2 * LineDiff.CONTEXT + 2);
    assertThat(LineDiff.of(after, after).changed()).isFalse();
    assertThat(LineDiff.of("", "a: 1\n").lines())
        .containsExactly(new LineDiff.Line(LineDiff.Kind.ADDED, "a: 1"));
  }
}
