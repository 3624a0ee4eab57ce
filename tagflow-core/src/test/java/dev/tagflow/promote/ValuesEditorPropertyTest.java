package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * For many generated values files that look like real ones (comments, quoting styles, flow and
 * block mappings, anchors and merge keys elsewhere, block scalars, CRLF, characters outside the
 * BMP), setting {@code image.tag} changes the text exactly at that scalar, or inserts whole lines
 * when the key is missing, and the file reads as before with only that value changed.
 */
class ValuesEditorPropertyTest {

  private static final int FILES = 600;
  private static final List<String> VALUES =
      List.of(
          "1.2.3",
          "1.10",
          "2",
          "true",
          "v1.3.0-rc.1",
          "1.2.3+build.7",
          "sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904",
          "it's",
          "key: value",
          "#not-a-comment",
          "版本-1",
          "x 🚀 y",
          "null",
          "",
          " padded ");

  private final ValuesEditor editor = new ValuesEditor(YamlLimits.defaults());
  private final YamlReader reader = new YamlReader(YamlLimits.defaults(), true);
  private final YamlPath imageTag = YamlPath.parse("image.tag");

  @Test
  void theFileChangesExactlyAtTheScalarOrByWholeNewLines() {
    Random random = new Random(20261206L);
    int replaced = 0;
    int inserted = 0;
    for (int n = 0; n < FILES; n++) {
      Generated file = generate(random);
      String value = VALUES.get(random.nextInt(VALUES.size()));
      String description = "file #" + n + " set to '" + value + "':\n" + file.text();

      ValuesEditor.Edited edited = editor.set("values.yaml", file.text(), imageTag, value);

      if (file.hasTag()) {
        replaced++;
        SourceTree.Scalar old = scalarAt(file.text());
        int start = old.start() + (old.tag().isPresent() ? "!!str ".length() : 0);
        String before = file.text();
        String after = edited.text();
        int tailLength = before.length() - old.end();
        assertThat(after.substring(0, start)).as(description).isEqualTo(before.substring(0, start));
        assertThat(after.substring(after.length() - tailLength))
            .as(description)
            .isEqualTo(before.substring(old.end()));
      } else {
        inserted++;
        assertIsWholeLinesInserted(file.text(), edited.text(), description);
      }
      assertOnlyTheValueChanged(file.text(), edited.text(), value, file.numericTag(), description);
    }
    assertThat(replaced).isGreaterThan(FILES / 2);
    assertThat(inserted).isGreaterThan(FILES / 10);
  }

  private SourceTree.Scalar scalarAt(String text) {
    SourceTree tree = SourceTree.read("values.yaml", text, YamlLimits.defaults());
    SourceTree.Mapping root = (SourceTree.Mapping) tree.root().orElseThrow();
    SourceTree.Mapping image =
        (SourceTree.Mapping)
            root.entries().stream()
                .filter(e -> ((SourceTree.Scalar) e.key()).value().equals("image"))
                .findFirst()
                .orElseThrow()
                .value();
    return (SourceTree.Scalar)
        image.entries().stream()
            .filter(e -> ((SourceTree.Scalar) e.key()).value().equals("tag"))
            .findFirst()
            .orElseThrow()
            .value();
  }

  /**
   * The new text is the old one with whole lines put in at the start of a line (or after a last
   * line that had no line break), or for a flow mapping with an entry put in before its brace.
   */
  private static void assertIsWholeLinesInserted(String before, String after, String description) {
    int added = after.length() - before.length();
    assertThat(added).as(description).isPositive();
    String newline = before.contains("\r\n") ? "\r\n" : "\n";
    boolean flow = before.contains("image: {");
    boolean found = false;
    for (int k = 0; k <= before.length() && !found; k++) {
      boolean lineStart = k == 0 || before.charAt(k - 1) == '\n';
      if (!flow && !lineStart && k != before.length()) {
        continue;
      }
      if (after.startsWith(before.substring(0, k))
          && after.substring(k + added).equals(before.substring(k))) {
        String inserted = after.substring(k, k + added);
        found =
            flow
                ? inserted.startsWith(", tag: ") && "},".indexOf(before.charAt(k)) >= 0
                : inserted.endsWith(newline) && inserted.contains("tag:");
      }
    }
    assertThat(found).as(description + "\nbecame:\n" + after).isTrue();
  }

  private void assertOnlyTheValueChanged(
      String before, String after, String value, boolean numeric, String description) {
    JsonNode expected = reader.readFirst("before", before).deepCopy();
    JsonNode actual = reader.readFirst("after", after);
    JsonNode newValue = actual.path("image").path("tag");
    if (numeric && !newValue.isTextual()) {
      // A number stays a number when the new value is one.
      assertThat(newValue.asText()).as(description).isEqualTo(value);
    } else {
      assertThat(newValue).as(description).isEqualTo(StringNode.valueOf(value));
    }
    ((ObjectNode) expected.path("image")).set("tag", newValue);
    assertThat(actual).as(description).isEqualTo(expected);
  }

  // --- generating values files ---

  private record Generated(String text, boolean hasTag, boolean numericTag) {}

  private static Generated generate(Random random) {
    String nl = random.nextInt(4) == 0 ? "\r\n" : "\n";
    String indent = random.nextBoolean() ? "  " : "    ";
    List<String> lines = new ArrayList<>();
    if (random.nextBoolean()) {
      lines.add("# Default values for web.");
      lines.add("# This is a YAML-formatted file. Declare variables to be passed into templates.");
      lines.add("");
    }
    if (random.nextBoolean()) {
      lines.add("---");
    }
    List<List<String>> sections = new ArrayList<>();
    sections.add(List.of("replicaCount: " + (1 + random.nextInt(5)) + "   # scaled by HPA too"));
    sections.add(
        List.of(
            "common: &common",
            indent + "team: 'payments' # owner",
            indent + "tier: \"backend\"",
            "podLabels:",
            indent + "<<: *common",
            indent + "app: web"));
    sections.add(List.of("nameOverride: \"\"", "fullnameOverride: ''"));
    sections.add(
        List.of(
            "config: |",
            indent + "server.port=8080",
            indent + "# not a YAML comment: part of the block",
            indent + "image.tag=0.0.1",
            ""));
    sections.add(
        List.of("tolerations: []", "nodeSelector: {}", "affinity: {kind: \"none\", weight: 1}"));
    sections.add(
        List.of(
            "env:",
            "- name: GREETING",
            "  value: \"héllo 🌍\"",
            "- name: MODE",
            "  value: production"));
    sections.add(List.of("\"quoted.key\": yes", "? complex", ": value"));
    sections.add(List.of("sidecar: *common"));
    boolean hasTag = random.nextInt(5) != 0;
    boolean numeric = false;
    List<String> image = new ArrayList<>();
    if (random.nextInt(4) == 0) {
      StringBuilder flow = new StringBuilder("image: {repository: registry.local/web");
      if (hasTag) {
        String[] tags = {"1.2.2", "\"1.2.2\"", "'1.2.2'", "latest"};
        flow.append(", tag: ").append(tags[random.nextInt(tags.length)]);
      }
      flow.append(", pullPolicy: IfNotPresent}  # flow style");
      image.add(flow.toString());
    } else {
      image.add("image:   # the application image");
      image.add(indent + "repository: registry.local/web");
      if (random.nextBoolean()) {
        image.add(indent + "# Overrides the image tag whose default is the chart appVersion.");
      }
      if (hasTag) {
        String[] tags = {
          "1.2.2", "\"1.2.2\"", "'1.2.2'", "1.2", "!!str 1.2.2", "v1.2.2   # pinned", "", "~"
        };
        String tag = tags[random.nextInt(tags.length)];
        numeric = tag.equals("1.2");
        image.add(indent + "tag:" + (tag.isEmpty() ? "" : " " + tag));
      }
      if (random.nextBoolean()) {
        image.add(indent + "pullPolicy: IfNotPresent");
      }
    }
    sections.add(random.nextInt(sections.size() + 1), image);
    // Anchors must come before their aliases: keep 'common' before the sections that use it.
    List<String> ordered = new ArrayList<>();
    for (List<String> section : sections) {
      if (section.get(0).startsWith("common:")) {
        ordered.addAll(0, section);
      } else {
        ordered.addAll(section);
      }
    }
    lines.addAll(ordered);
    if (random.nextBoolean()) {
      lines.add("# trailing comment");
    }
    String text = String.join(nl, lines) + (random.nextInt(5) == 0 ? "" : nl);
    return new Generated(text, hasTag, numeric);
  }
}
