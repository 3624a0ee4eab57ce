package dev.tagflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@link NodeText} gives what Jackson 2's {@code asText()} gave (measured with Jackson 2.23). */
class NodeTextTest {

  final JsonNode tree =
      PlainJson.MAPPER.readTree(
          "{\"s\":\"abc\",\"i\":5,\"d\":2.7,\"b\":true,\"z\":null,\"o\":{\"x\":1},\"a\":[1],"
              + "\"big\":12345678901}");

  @Test
  void readsNullAsTheWordNullAndMappingsListsAndMissingNodesAsNothing() {
    assertThat(NodeText.of(tree.path("z"))).isEqualTo("null");
    assertThat(NodeText.of(tree.path("o"))).isEmpty();
    assertThat(NodeText.of(tree.path("a"))).isEmpty();
    assertThat(NodeText.of(tree.path("missing"))).isEmpty();
  }

  @Test
  void readsScalarsAsTheirText() {
    assertThat(NodeText.of(tree.path("s"))).isEqualTo("abc");
    assertThat(NodeText.of(tree.path("i"))).isEqualTo("5");
    assertThat(NodeText.of(tree.path("d"))).isEqualTo("2.7");
    assertThat(NodeText.of(tree.path("b"))).isEqualTo("true");
    assertThat(NodeText.of(tree.path("big"))).isEqualTo("12345678901");
  }
}
