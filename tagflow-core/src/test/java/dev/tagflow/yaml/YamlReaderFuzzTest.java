package dev.tagflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Any text, read as YAML into Jackson trees. A crash is any exception but a TagflowException
 * (INVALID_INPUT) naming the file, a tree larger or deeper than the limits (aliases and merge keys
 * resolved), or text that {@link YamlReader#read} takes but {@link YamlReader#checkLimits} refuses.
 * The limits are small, so that the fuzzer reaches each of them in a few hundred bytes; the
 * counting is the same as with the defaults.
 */
class YamlReaderFuzzTest {

  static final YamlLimits SMALL = new YamlLimits(16 * 1024, 16, 2_000, 16_000, 50);

  private final YamlReader strict = new YamlReader(SMALL, true);
  private final YamlReader lenient = new YamlReader(SMALL, false);

  @DictionaryFile(resourcePath = "/dev/tagflow/yaml/yaml.dict")
  @FuzzTest
  void readsAnyTextWithinTheLimitsOrSaysWhereItIsWrong(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    for (YamlReader reader : List.of(strict, lenient)) {
      List<YamlDocument> documents;
      try {
        documents = reader.read("fuzz.yaml", text);
      } catch (TagflowException refused) {
        assertThat(refused.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
        assertThat(refused.getMessage()).startsWith("fuzz.yaml");
        continue;
      }
      Size size = new Size();
      for (YamlDocument document : documents) {
        assertThat(document.line()).isPositive();
        size.add(document.value(), 0);
      }
      assertThat(size.nodes).isLessThanOrEqualTo(SMALL.maxNodes());
      assertThat(size.chars).isLessThanOrEqualTo(SMALL.maxTextChars());
      assertThat(size.depth).isLessThanOrEqualTo(SMALL.maxDepth());
      reader.checkLimits("fuzz.yaml", text); // what was read whole is within the limits
    }
  }

  @DictionaryFile(resourcePath = "/dev/tagflow/yaml/yaml.dict")
  @FuzzTest
  void measuresAnyTextWithoutReadingPastTheLimits(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      strict.checkLimits("fuzz.yaml", text);
    } catch (TagflowException refused) {
      assertThat(refused.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
      assertThat(refused.getMessage()).startsWith("fuzz.yaml");
      // What is too large to measure is too large to read.
      assertThatThrownBy(() -> lenient.read("fuzz.yaml", text))
          .isInstanceOf(TagflowException.class);
    }
  }

  /** What a tree holds, counted as the limits count: every key and value a node. */
  private static final class Size {
    long nodes;
    long chars;
    int depth;

    void add(JsonNode node, int level) {
      nodes++;
      if (node.isContainer()) {
        depth = Math.max(depth, level + 1);
        if (node.isObject()) {
          for (Map.Entry<String, JsonNode> field : node.properties()) {
            nodes++;
            chars += field.getKey().length();
            add(field.getValue(), level + 1);
          }
        } else {
          node.forEach(item -> add(item, level + 1));
        }
      } else if (node.isTextual()) {
        chars += node.asText().length();
      }
    }
  }
}
