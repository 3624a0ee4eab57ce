package dev.tagflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** What {@link YamlOutput} writes: byte for byte what Jackson 2 wrote (expected texts from it). */
class YamlOutputTest {

  static final String TREE =
      "{\"b\":1,\"a\":{\"x\":[1,2,{\"q\":\"r\"}],\"e\":{},\"ea\":[]},\"s\":\"yes\",\"t\":\"1\","
          + "\"u\":\"\",\"v\":\"multi\\nline\\n\",\"w\":\""
          + "long words ".repeat(12)
          + "\",\"n\":null,\"c\":\"a: b\",\"d\":\"0755\",\"f\":1.5,\"g\":\"on\",\"h\":\"~\","
          + "\"i\":\"null\",\"j\":\"-\",\"k\":\"@x\",\"l\":\"x #y\",\"big\":12345678901234567890,"
          + "\"uni\":\"\u00e9 \u2603\",\"tab\":\"a\\tb\",\"lst\":[\"a\",[\"b\",\"c\"],{\"d\":1,\"e\":[]}]}";

  @Test
  void writesATreeAsJackson2DidWithQuotesMinimized() throws Exception {
    JsonNode tree = PlainJson.MAPPER.readTree(TREE);
    ObjectMapper yaml =
        YamlOutput.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    assertThat(yaml.writeValueAsString(tree))
        .isEqualTo(
            ""
                + "b: 1\n"
                + "a:\n"
                + "  x:\n"
                + "  - 1\n"
                + "  - 2\n"
                + "  - q: r\n"
                + "  e: {}\n"
                + "  ea: []\n"
                + "s: \"yes\"\n"
                + "t: 1\n"
                + "u: \"\"\n"
                + "v: |\n"
                + "  multi\n"
                + "  line\n"
                + "w: 'long words long words long words long words long words long words long words long\n"
                + "  words long words long words long words long words '\n"
                + "\"n\": null\n"
                + "c: \"a: b\"\n"
                + "d: '0755'\n"
                + "f: 1.5\n"
                + "g: \"on\"\n"
                + "h: \"~\"\n"
                + "i: \"null\"\n"
                + "j: '-'\n"
                + "k: '@x'\n"
                + "l: \"x #y\"\n"
                + "big: 12345678901234567890\n"
                + "uni: \u00e9 \u2603\n"
                + "tab: \"a\\tb\"\n"
                + "lst:\n"
                + "- a\n"
                + "- - b\n"
                + "  - c\n"
                + "- d: 1\n"
                + "  e: []\n");
  }

  @Test
  void quotesTextOfALeadingZeroAndDigitsThatYaml11WouldReadAsANumber() {
    ObjectMapper yaml =
        YamlOutput.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    assertThat(yaml.writeValueAsString(Map.of("mode", "0755"))).isEqualTo("mode: '0755'\n");
    assertThat(yaml.writeValueAsString(Map.of("id", "08"))).isEqualTo("id: '08'\n");
    assertThat(yaml.writeValueAsString(Map.of("v", "0_1"))).isEqualTo("v: '0_1'\n");
    assertThat(yaml.writeValueAsString(Map.of("v", "+08"))).isEqualTo("v: +08\n");
    assertThat(yaml.writeValueAsString(Map.of("v", "0x1F"))).isEqualTo("v: 0x1F\n");
  }

  @Test
  void writesNonFiniteNumbersAsJavaPrintsThem() {
    assertThat(
            YamlOutput.builder()
                .build()
                .writeValueAsString(Map.of("inf", Double.POSITIVE_INFINITY)))
        .isEqualTo("---\ninf: Infinity\n");
  }
}
