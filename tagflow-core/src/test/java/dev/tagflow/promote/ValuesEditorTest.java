package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlLimits;
import org.junit.jupiter.api.Test;

class ValuesEditorTest {

  private final ValuesEditor editor = new ValuesEditor(YamlLimits.defaults());

  private String set(String text, String path, String value) {
    return editor.set("values.yaml", text, YamlPath.parse(path), value).text();
  }

  private void assertRefused(String text, String path, String message) {
    assertThatThrownBy(() -> set(text, path, "1.2.3"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((TagflowException) e).reason())
        .isEqualTo(TagflowException.Reason.INVALID_INPUT);
  }

  @Test
  void keepsTheQuotingStyleOfTheOldValue() {
    assertThat(set("image:\n  tag: '1.2.2' # pinned\n", "image.tag", "1.2.3"))
        .isEqualTo("image:\n  tag: '1.2.3' # pinned\n");
    assertThat(set("image:\n  tag: \"1.2.2\"\n", "image.tag", "1.2.3"))
        .isEqualTo("image:\n  tag: \"1.2.3\"\n");
    assertThat(set("image: {tag: 1.2.2, pullPolicy: Always}\n", "image.tag", "1.2.3"))
        .isEqualTo("image: {tag: 1.2.3, pullPolicy: Always}\n");
  }

  @Test
  void quotesAPlainValueThatWouldReadAsAnotherType() {
    assertThat(set("image:\n  tag: v1\n", "image.tag", "1.10"))
        .isEqualTo("image:\n  tag: \"1.10\"\n");
    assertThat(set("image:\n  tag: v1\n", "image.tag", "true"))
        .isEqualTo("image:\n  tag: \"true\"\n");
    assertThat(set("image: {tag: v1}\n", "image.tag", "a,b")).isEqualTo("image: {tag: \"a,b\"}\n");
    assertThat(set("image:\n  tag: v1\n", "image.tag", "x #y"))
        .isEqualTo("image:\n  tag: \"x #y\"\n");
    assertThat(set("image:\n  tag: 'v1'\n", "image.tag", "it's"))
        .isEqualTo("image:\n  tag: 'it''s'\n");
    assertThat(set("image:\n  tag: 'v1'\n", "image.tag", "a\nb"))
        .isEqualTo("image:\n  tag: \"a\\nb\"\n");
  }

  @Test
  void anIntegerStaysAnIntegerWhenTheNewValueIsOne() {
    assertThat(set("replicaCount: 2\n", "replicaCount", "3")).isEqualTo("replicaCount: 3\n");
    assertThat(set("replicaCount: 2\n", "replicaCount", "three"))
        .isEqualTo("replicaCount: three\n");
  }

  @Test
  void anUnchangedValueChangesNothing() {
    ValuesEditor.Edited edited =
        editor.set("values.yaml", "image:\n  tag: 1.2.3\n", YamlPath.parse("image.tag"), "1.2.3");
    assertThat(edited.changed()).isFalse();
    assertThat(edited.before()).contains("1.2.3");
  }

  @Test
  void keepsCrlfLineEndingsAndAddsMissingKeysInTheFilesIndentation() {
    assertThat(set("image:\r\n    repository: web # comment\r\nother: 1\r\n", "image.tag", "1.2.3"))
        .isEqualTo("image:\r\n    repository: web # comment\r\n    tag: 1.2.3\r\nother: 1\r\n");
    assertThat(set("service:\n    port: 80\n", "image.tag", "1.2.3"))
        .isEqualTo("service:\n    port: 80\nimage:\n    tag: 1.2.3\n");
    assertThat(set("a: 1", "image.tag", "1.2.3")).isEqualTo("a: 1\nimage:\n  tag: 1.2.3\n");
    assertThat(set("", "image.tag", "1.2.3")).isEqualTo("image:\n  tag: 1.2.3\n");
    assertThat(set("# only a comment\n", "image.tag", "1.2.3"))
        .isEqualTo("# only a comment\nimage:\n  tag: 1.2.3\n");
    assertThat(set("image: {}\n", "image.tag", "1.2.3")).isEqualTo("image: {tag: 1.2.3}\n");
    assertThat(set("image:\n  tag:\n", "image.tag", "1.2.3")).isEqualTo("image:\n  tag: 1.2.3\n");
  }

  @Test
  void editsListItemsByIndexAndKeysWithDots() {
    assertThat(set("sidecars:\n- name: a\n  image: a:1\n", "sidecars[0].image", "a:2"))
        .isEqualTo("sidecars:\n- name: a\n  image: a:2\n");
    assertThat(set("ann:\n  example.com/rev: '1'\n", "ann.example\\.com/rev", "2"))
        .isEqualTo("ann:\n  example.com/rev: '2'\n");
  }

  @Test
  void keepsAnExplicitTag() {
    assertThat(set("image:\n  tag: !!str 1.2\n", "image.tag", "1.3"))
        .isEqualTo("image:\n  tag: !!str 1.3\n");
  }

  @Test
  void keepsCharactersOutsideTheBasicPlaneBeforeTheValue() {
    assertThat(set("note: \"🚀🚀\"\nimage:\n  tag: v1 # 🚀\n", "image.tag", "v2"))
        .isEqualTo("note: \"🚀🚀\"\nimage:\n  tag: v2 # 🚀\n");
  }

  @Test
  void refusesToEditThroughAnAlias() {
    assertRefused(
        "base: &base\n  tag: v1\nimage: *base\n",
        "image.tag",
        "values.yaml:3:8: image is the alias *base");
  }

  @Test
  void refusesToEditInsideAnAnchoredNode() {
    assertRefused(
        "image: &img\n  tag: v1\nother: *img\n",
        "image.tag",
        "values.yaml:1:8: image is anchored as &img");
    assertRefused("image:\n  tag: &t v1\n", "image.tag", "image.tag is anchored as &t");
  }

  @Test
  void refusesAKeyThatComesFromAMergeKey() {
    assertRefused(
        "base: &base\n  tag: v1\nimage:\n  <<: *base\n  pullPolicy: Always\n",
        "image.tag",
        "values.yaml:4:3: image takes keys from a merge key (<<)");
  }

  @Test
  void refusesBlockScalarsDuplicatesAndNonMappings() {
    assertRefused("image:\n  tag: |\n    v1\n", "image.tag", "image.tag is a block scalar");
    assertRefused(
        "image:\n  tag: a\n  tag: b\n", "image.tag", "values.yaml:3:3: image.tag is written twice");
    assertRefused("image: web:1\n", "image.tag", "image is the value 'web:1', not a mapping");
    assertRefused("image:\n", "image.tag", "image is empty (null), not a mapping");
    assertRefused("list: [a]\n", "list[3]", "list has 1 items, so there is no item 3");
    assertRefused("image: {}\n", "image.tags[0]", "Tagflow adds mapping keys, not list items");
  }

  @Test
  void refusesTextThatIsNotYamlWithItsPosition() {
    assertRefused("image:\n  tag: [v1\n", "image.tag", "values.yaml:3:1: not valid YAML");
    assertRefused("a: 1\n---\nb: 2\n", "a", "values.yaml:2:1: a second YAML document");
  }

  @Test
  void refusesBadPathsAndOverlongValues() {
    for (String path : new String[] {"", "a..b", ".a", "a.", "[0]", "a[x]", "a]b", "a[0]b"}) {
      assertThatThrownBy(() -> YamlPath.parse(path))
          .as(path)
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("is not a values path");
    }
    assertThatThrownBy(() -> set("a: 1\n", "a", "x".repeat(ValuesEditor.MAX_VALUE_LENGTH + 1)))
        .hasMessageContaining("Tagflow sets values of up to");
  }

  @Test
  void refusesAFileOverTheSizeLimitBeforeReadingIt() {
    ValuesEditor small = new ValuesEditor(new YamlLimits(100, 10, 1000, 1000, 10));
    assertThatThrownBy(
            () ->
                small.set("values.yaml", "a: " + "x".repeat(200) + "\n", YamlPath.parse("a"), "1"))
        .hasMessageContaining("values.yaml is 204 characters");
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    ValuesEditor shallow = new ValuesEditor(new YamlLimits(1 << 20, 5, 1000, 100000, 10));
    String deep = "a: ".repeat(1) + "[".repeat(50) + "]".repeat(50) + "\n";
    assertThatThrownBy(() -> shallow.set("values.yaml", deep, YamlPath.parse("b"), "1"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("values.yaml");
  }

  @Test
  void controlCharactersAreWrittenEscapedAndReadBack() {
    assertThat(set("image:\n  tag: v1\n", "image.tag", "a\u0007b\u2028c"))
        .isEqualTo("image:\n  tag: \"a\\u0007b\\u2028c\"\n");
  }

  @Test
  void versionsThatCannotNameABranchAreRefused() {
    for (String version : new String[] {"1..2", "1.2.", "x.lock", "-1", "a b", "1/2", ""}) {
      assertThatThrownBy(
              () ->
                  new ReleaseRef(
                      "web",
                      new ReleaseRef.Tag("v1"),
                      version,
                      "c".repeat(40),
                      java.util.Optional.empty(),
                      java.util.Optional.empty(),
                      java.util.Optional.empty()))
          .as(version)
          .isInstanceOf(TagflowException.class);
    }
    assertThat(ReleaseRef.versionOf("prod-v1.2.3")).isEqualTo("1.2.3");
    assertThat(ReleaseRef.versionOf("v1.2.3-rc.1")).isEqualTo("1.2.3-rc.1");
    assertThat(ReleaseRef.versionOf("release-7")).isEqualTo("release-7");
  }

  @Test
  void keepsAByteOrderMarkAndAddsKeysAtTheRightIndentation() {
    assertThat(set("\uFEFFimage:\n  tag: v1\n", "image.tag", "v2"))
        .isEqualTo("\uFEFFimage:\n  tag: v2\n");
    assertThat(set("\uFEFFa: 1\n", "image.tag", "v2")).isEqualTo("\uFEFFa: 1\nimage:\n  tag: v2\n");
  }
}
