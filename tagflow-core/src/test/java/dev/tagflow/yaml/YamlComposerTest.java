package dev.tagflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tagflow.TagflowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

class YamlComposerTest {

  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  final YamlComposer composer = new YamlComposer(YamlLimits.defaults());

  List<Node> composeAll(String file, String yaml) {
    List<Node> documents = new ArrayList<>();
    composer.composeAll(file, yaml).forEach(documents::add);
    return documents;
  }

  @Test
  void refusesABillionLaughsOfListsWhileComposingNotWhenTheGraphIsWalked() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(() -> composeAll("laughs.yaml", Bombs.chainedLists(30, "")))
                .isInstanceOf(TagflowException.class)
                .hasMessageStartingWith("laughs.yaml:")
                .hasMessageContaining("more than 1,000,000 nodes"));
  }

  @Test
  void refusesABillionLaughsOfMappings() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(() -> composeAll("laughs.yaml", Bombs.chainedMappings(30, "")))
                .hasMessageContaining("the alias *m")
                .hasMessageContaining("more than 1,000,000 nodes"));
  }

  @Test
  void refusesDeepNestingWithAMessageNotAStackOverflow() {
    assertThatThrownBy(() -> composeAll("deep.yaml", Bombs.nestedLists(10_000)))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith("deep.yaml:1:201: the YAML nests mappings and lists more than 200");
  }

  @Test
  void refusesAnAliasInsideTheNodeItNamesWhichSnakeYamlWouldMakeARecursiveGraph() {
    assertThatThrownBy(() -> composeAll("loop.yaml", "a: &a {self: *a}\n"))
        .hasMessageStartingWith("loop.yaml:1:14: the alias *a is inside the node &a it names");
  }

  @Test
  void resolvesMergeKeysOwnKeysWinning() {
    Node root =
        composeAll("merge.yaml", "base: &base {a: 1, b: 2}\nobject: {a: 9, <<: *base}\n")
            .getFirst();

    MappingNode object = (MappingNode) value((MappingNode) root, "object");
    assertThat(object.getValue())
        .extracting(t -> scalar(t.getKeyNode()) + "=" + scalar(t.getValueNode()))
        .containsExactly("a=9", "b=2");
  }

  @Test
  void composesDocumentsOneAtATimeSoEarlierOnesAreSeenBeforeALaterMistake() {
    Iterator<Node> documents = composer.composeAll("two.yaml", "a: 1\n---\nb: [\n").iterator();

    assertThat(documents.next()).isInstanceOf(MappingNode.class);
    assertThatThrownBy(documents::next).isInstanceOf(MarkedYAMLException.class);
  }

  @Test
  void anEscapeCutShortAtTheEndIsASyntaxErrorWithItsPlace() {
    // Found by YamlReaderFuzzTest: SnakeYAML threw a NumberFormatException of its own.
    assertThatThrownBy(() -> composeAll("cut.yaml", "a: 1\nb: \"caf\\u"))
        .isInstanceOf(MarkedYAMLException.class)
        .hasMessageContaining("line 2, column")
        .hasMessageContaining("an escape sequence (\\x, \\u or \\U) is cut short");
  }

  @Test
  void aScalarThatDoesNotFitItsTypeTagIsASyntaxErrorAtItsPlace() {
    // Found by YamlReaderFuzzTest (Jackson's side); the composer checks tags the same way.
    assertThatThrownBy(() -> composeAll("tags.yaml", "a: 1\nb: !!int +\n"))
        .isInstanceOf(MarkedYAMLException.class)
        .hasMessageContaining("line 2, column 4")
        .hasMessageContaining("the value '+' does not fit its tag !!int");
    assertThatThrownBy(() -> composeAll("tags.yaml", "a: !!timestamp x\n"))
        .isInstanceOf(MarkedYAMLException.class)
        .hasMessageContaining("line 1, column 4")
        .hasMessageContaining("the value 'x' does not fit its tag !!timestamp");
    assertThat(composeAll("tags.yaml", "a: !!int 0x1F\nb: !!bool on\n")).hasSize(1);
  }

  @Test
  void aTagThatDecodesWithSpacesAroundItIsASyntaxError() {
    // Found by YamlComposerFuzzTest: SnakeYAML threw an IllegalArgumentException of its own.
    assertThatThrownBy(() -> composeAll("tag.yaml", "a: 1\nb: !tag%20 value\n"))
        .isInstanceOf(MarkedYAMLException.class)
        .hasMessageContaining("line 2, column 4")
        .hasMessageContaining("Tag must not contain leading or trailing spaces");
  }

  @Test
  void namesTheLinesOfTheFileForABlockOfIt() {
    assertThatThrownBy(() -> composer.composeOne("app.yaml", Bombs.chainedLists(30, ""), 8))
        .hasMessageMatching("app\\.yaml:(2[6-9]|[3-9][0-9]):\\d+: the alias \\*l\\d+ makes .*");
  }

  private static Node value(MappingNode mapping, String key) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (scalar(tuple.getKeyNode()).equals(key)) {
        return tuple.getValueNode();
      }
    }
    throw new AssertionError("no " + key);
  }

  private static String scalar(Node node) {
    return ((ScalarNode) node).getValue();
  }
}
