package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Any text as a manifest file of a repository, YAML or JSON, parsed and validated as rendering does
 * (the directory renderer's path, without Git). A crash is any exception but a TagflowException
 * (INVALID_INPUT) naming the file, or a manifest that does not say where it came from.
 */
class ManifestParserFuzzTest {

  private final ManifestParser parser = new ManifestParser(true, YamlLimits.defaults());
  private final ManifestValidator validator = new ManifestValidator();
  private final RenderTarget target = new RenderTarget("shop", Capabilities.offline("v1.37.2"));

  @DictionaryFile(resourcePath = "/dev/tagflow/yaml/yaml.dict")
  @DictionaryFile(resourcePath = "/dev/tagflow/render/manifest.dict")
  @FuzzTest
  void readsAnyYamlFileIntoObjectsOrSaysWhereItIsWrong(byte[] input) {
    readsIntoObjectsOrSaysWhereItIsWrong("deploy/web.yaml", input);
  }

  @DictionaryFile(resourcePath = "/dev/tagflow/render/manifest.dict")
  @FuzzTest
  void readsAnyJsonFileIntoObjectsOrSaysWhereItIsWrong(byte[] input) {
    readsIntoObjectsOrSaysWhereItIsWrong("deploy/web.json", input);
  }

  private void readsIntoObjectsOrSaysWhereItIsWrong(String file, byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      List<ManifestParser.Document> documents = parser.parse(file, text);
      for (Manifest manifest : validator.validate(documents, target)) {
        assertThat(manifest.file()).isEqualTo(file);
        assertThat(manifest.line()).isPositive();
        assertThat(manifest.subject()).isNotBlank();
      }
    } catch (TagflowException refused) {
      assertThat(refused.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
      assertThat(refused.getMessage()).contains(file);
    }
  }
}
