package dev.tagflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Any text, composed as YAML into SnakeYAML's node graph. A crash is any exception but a
 * TagflowException (INVALID_INPUT) naming the file, or SnakeYAML's own YAMLException, which the
 * composer documents as passed through for its callers to place; or a graph whose walk, aliases and
 * merge keys followed, holds more nodes or nests deeper than the limits.
 */
class YamlComposerFuzzTest {

  private final YamlComposer composer = new YamlComposer(YamlReaderFuzzTest.SMALL);

  @DictionaryFile(resourcePath = "/dev/tagflow/yaml/yaml.dict")
  @FuzzTest
  void composesAnyTextIntoAGraphThatWalksWithinTheLimits(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      Walk walk = new Walk();
      for (Node document : composer.composeAll("fuzz.yaml", text)) {
        walk.visit(document, 0);
      }
      assertThat(walk.nodes).isLessThanOrEqualTo(YamlReaderFuzzTest.SMALL.maxNodes());
      assertThat(walk.depth).isLessThanOrEqualTo(YamlReaderFuzzTest.SMALL.maxDepth());
    } catch (TagflowException refused) {
      assertThat(refused.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
      assertThat(refused.getMessage()).startsWith("fuzz.yaml");
    } catch (YAMLException syntax) {
      assertThat(syntax.getMessage()).isNotBlank();
    }
  }

  /** Walks a graph as a reader does, through aliases; stops just past the limit if it is broken. */
  private static final class Walk {
    long nodes;
    int depth;

    void visit(Node node, int level) {
      if (++nodes > YamlReaderFuzzTest.SMALL.maxNodes()) {
        return;
      }
      switch (node) {
        case MappingNode mapping -> {
          depth = Math.max(depth, level + 1);
          for (NodeTuple tuple : mapping.getValue()) {
            visit(tuple.getKeyNode(), level + 1);
            visit(tuple.getValueNode(), level + 1);
          }
        }
        case SequenceNode list -> {
          depth = Math.max(depth, level + 1);
          list.getValue().forEach(item -> visit(item, level + 1));
        }
        default -> {}
      }
    }
  }
}
