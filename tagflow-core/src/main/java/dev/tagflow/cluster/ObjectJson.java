package dev.tagflow.cluster;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlDocument;
import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlOutput;
import dev.tagflow.yaml.YamlReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Converts Kubernetes objects between fabric8's {@link GenericKubernetesResource} and plain JSON
 * trees ({@code Map}/{@code List}), the form the diff and its fixtures work on, and to YAML for
 * people.
 */
public final class ObjectJson {

  private final YamlReader reader = new YamlReader(YamlLimits.defaults(), false);
  private final ObjectMapper canonical =
      JsonMapper.builderWithJackson2Defaults()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();
  private final ObjectMapper yaml =
      YamlOutput.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  /** The object as a JSON tree; a fresh copy the caller may change. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> toMap(GenericKubernetesResource object) {
    return PlainJson.MAPPER.convertValue(object, Map.class);
  }

  /** A JSON tree as an object. */
  public GenericKubernetesResource fromMap(Map<String, Object> tree) {
    return PlainJson.MAPPER.convertValue(tree, GenericKubernetesResource.class);
  }

  /** A deep copy of the object. */
  public GenericKubernetesResource copy(GenericKubernetesResource object) {
    return fromMap(toMap(object));
  }

  /** The tree as YAML with keys in name order, so two trees' texts line up for a diff. */
  public String toYaml(Object tree) {
    try {
      return yaml.writeValueAsString(tree);
    } catch (JacksonException e) {
      throw TagflowException.failed("could not write an object as YAML: " + e.getMessage(), e);
    }
  }

  /** Every YAML document in {@code text} as objects; empty documents are skipped. */
  public List<GenericKubernetesResource> readYaml(String text) {
    return readYaml("YAML", text);
  }

  /**
   * Every YAML document of a file as objects; empty documents are skipped.
   *
   * @param file names the text in messages
   * @throws TagflowException (INVALID_INPUT) naming file:line:column when the YAML is invalid,
   *     passes a limit, or a document is not a Kubernetes object
   */
  public List<GenericKubernetesResource> readYaml(String file, String text) {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (YamlDocument document : reader.read(file, text)) {
      if (document.value().isNull()) {
        continue;
      }
      try {
        GenericKubernetesResource object =
            PlainJson.MAPPER.treeToValue(document.value(), GenericKubernetesResource.class);
        if (object != null && object.getKind() != null) {
          objects.add(object);
        }
      } catch (JacksonException | IllegalArgumentException e) {
        throw TagflowException.invalidInput(
            file + ":" + document.line() + ": not a Kubernetes object: " + e.getMessage());
      }
    }
    return objects;
  }

  /** One YAML document as a JSON tree (for test fixtures and hashing). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readYamlTree(String text) {
    JsonNode tree = reader.readFirst("YAML", text);
    if (tree.isMissingNode() || tree.isNull()) {
      return null;
    }
    if (!tree.isObject()) {
      throw TagflowException.invalidInput("YAML: the document is not a mapping");
    }
    return PlainJson.MAPPER.convertValue(tree, Map.class);
  }

  /** The compact JSON text of a tree, with keys in name order (stable, for content hashes). */
  public String toCanonicalJson(Object tree) {
    try {
      return canonical.writeValueAsString(tree);
    } catch (JacksonException e) {
      throw TagflowException.failed("could not write an object as JSON: " + e.getMessage(), e);
    }
  }
}
