package dev.tagflow.yaml;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One document of a YAML file as a Jackson tree, aliases and merge keys resolved.
 *
 * @param index the document's place in the file, from 0, empty documents counted
 * @param line the line its content starts on, from 1
 * @param value the content; a null node for an empty document
 */
public record YamlDocument(int index, int line, JsonNode value) {

  public YamlDocument {
    Objects.requireNonNull(value, "value");
  }
}
