package dev.tagflow.render;

import dev.tagflow.TagflowException;
import dev.tagflow.source.TreeReader;
import dev.tagflow.yaml.YamlDocument;
import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlOutput;
import dev.tagflow.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the YAML (multi-document) or JSON text of one file into objects, each with its document
 * index and line. Empty documents are skipped; {@code List} kinds ({@code v1 List}, {@code
 * ConfigMapList}, …) are expanded into their items, which keep the list's document and line.
 *
 * <p>Files are read within {@link YamlLimits}: refused by size before they are read, and YAML
 * aliases resolved to their values within the limits (see {@link dev.tagflow.yaml}).
 */
final class ManifestParser {

  private final YamlReader yaml;
  private final ObjectMapper json;
  private final ObjectMapper writer = YamlOutput.builder().build();

  /**
   * @param strict refuse a field written twice in one mapping: right for what users write (kubectl
   *     and Helm's values refuse it too), wrong for what Helm or kustomize made from someone else's
   *     chart, which {@code helm template} prints without complaint
   * @param limits how much one file may hold
   */
  ManifestParser(boolean strict, YamlLimits limits) {
    this.yaml = new YamlReader(limits, strict);
    this.json =
        JsonMapper.builder(
                JsonFactory.builderWithJackson2Defaults()
                    .streamReadConstraints(limits.streamReadConstraints())
                    .build())
            .configureForJackson2()
            .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strict)
            .build();
  }

  /** One object as written, before validation. */
  record Document(String file, int document, int line, ObjectNode object) {}

  /**
   * A file of a tree as text, refused by its size (its blob's, in Git) before it is read.
   *
   * @param file the file as messages name it
   */
  String read(TreeReader tree, String relative, String file) {
    return new String(bytes(tree, relative, file), StandardCharsets.UTF_8);
  }

  /** Like {@link #read}, as bytes. */
  byte[] bytes(TreeReader tree, String relative, String file) {
    yaml.limits().checkSize(file, tree.size(relative));
    return tree.read(relative);
  }

  /** A file on disk as text, refused by its size before it is read. */
  String read(Path file, String name) throws IOException {
    yaml.limits().checkSize(name, Files.size(file));
    return Files.readString(file);
  }

  /**
   * Parses a whole file.
   *
   * @throws TagflowException (INVALID_INPUT) naming file:line:column when the text is not valid or
   *     passes a limit
   */
  List<Document> parse(String file, String text) {
    return parse(file, text, 0, 0);
  }

  /**
   * Parses a part of a file that starts after {@code lineOffset} lines and whose first document has
   * index {@code firstDocument} (Helm's output is split on its separators first).
   */
  List<Document> parse(String file, String text, int lineOffset, int firstDocument) {
    List<Document> documents = new ArrayList<>();
    for (YamlDocument parsed :
        file.endsWith(".json") ? json(file, text, lineOffset) : yaml.read(file, text, lineOffset)) {
      JsonNode node = parsed.value();
      int document = firstDocument + parsed.index();
      int line = parsed.line();
      if (node.isNull() || node.isMissingNode()) {
        continue;
      }
      if (!node.isObject()) {
        throw TagflowException.invalidInput(
            file
                + ":"
                + line
                + ": document "
                + (document + 1)
                + " is a "
                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + ", not a Kubernetes object (a mapping with apiVersion, kind and metadata)");
      }
      expand(file, document, line, (ObjectNode) node, documents);
    }
    return documents;
  }

  /** The first document of a YAML file (a kustomization), checked as {@link #parse} checks it. */
  JsonNode tree(String file, String text) {
    return yaml.readFirst(file, text);
  }

  /** Values as YAML text, for a values file. */
  byte[] yaml(Object values) {
    try {
      return writer.writeValueAsBytes(values);
    } catch (JacksonException e) {
      throw new IllegalStateException("values made of maps and strings are YAML", e);
    }
  }

  /** Checks that a text is valid YAML (a values file), naming file:line:column when it is not. */
  void checkYaml(String file, String text) {
    yaml.read(file, text);
  }

  /**
   * Refuses YAML that another program reads (a chart's values, an overlay's resources) when it
   * passes the limits; whether it is valid is that program's to say.
   */
  void checkLimits(String file, String text) {
    yaml.checkLimits(file, text);
  }

  /** The values of a JSON file (JSON has no aliases), one per top-level value. */
  private List<YamlDocument> json(String file, String text, int lineOffset) {
    yaml.limits().checkLength(file, text);
    List<YamlDocument> documents = new ArrayList<>();
    try (JsonParser parser = json.createParser(text);
        MappingIterator<JsonNode> values = json.readValues(parser, JsonNode.class)) {
      while (values.hasNextValue()) {
        int line = lineOffset + Math.max(1, parser.currentTokenLocation().getLineNr());
        JsonNode node = values.nextValue();
        documents.add(
            new YamlDocument(documents.size(), line, node == null ? NullNode.getInstance() : node));
      }
    } catch (JacksonException e) {
      throw YamlReader.syntaxError(file, "JSON", e, lineOffset);
    }
    return documents;
  }

  private static void expand(
      String file, int document, int line, ObjectNode node, List<Document> into) {
    JsonNode kind = node.get("kind");
    JsonNode items = node.get("items");
    if (kind != null && kind.isString() && kind.stringValue().endsWith("List") && items != null) {
      if (!items.isArray()) {
        throw TagflowException.invalidInput(
            file + ":" + line + ": " + kind.stringValue() + " has 'items' that is not a list");
      }
      for (JsonNode item : items) {
        if (!item.isObject()) {
          throw TagflowException.invalidInput(
              file + ":" + line + ": an item of " + kind.stringValue() + " is not an object");
        }
        into.add(new Document(file, document, line, (ObjectNode) item));
      }
      return;
    }
    into.add(new Document(file, document, line, node));
  }
}
