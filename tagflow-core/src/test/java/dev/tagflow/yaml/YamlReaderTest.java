package dev.tagflow.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tagflow.TagflowException;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class YamlReaderTest {

  /** Only a guard against a hang: these fail at once, but a regression must not stall the build. */
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  final YamlReader reader = new YamlReader(YamlLimits.defaults(), true);

  JsonNode read(String yaml) {
    return reader.readFirst("test.yaml", yaml);
  }

  @Test
  void refusesABillionLaughsOfListsNamingTheFileTheAliasAndTheLimit() {
    String bomb = Bombs.chainedLists(30, "");

    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(() -> reader.read("laughs.yaml", bomb))
                .isInstanceOf(TagflowException.class)
                .hasMessageStartingWith("laughs.yaml:")
                .hasMessageContaining("the alias *l")
                .hasMessageContaining("more than 1,000,000 nodes")
                .hasMessageContaining("billion laughs"));
  }

  @Test
  void refusesABillionLaughsOfMappings() {
    String bomb = Bombs.chainedMappings(30, "");

    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(() -> reader.read("laughs.yaml", bomb))
                .isInstanceOf(TagflowException.class)
                .hasMessageStartingWith("laughs.yaml:")
                .hasMessageContaining("the alias *m")
                .hasMessageContaining("more than 1,000,000 nodes"));
  }

  @Test
  void stopsAtTheFirstAliasThatPassesTheLimitWithItsLineAndColumn() {
    // The file's own 103 nodes and one copy of the 101-node list fit in 250; a second does not.
    YamlReader small = new YamlReader(new YamlLimits(1024 * 1024, 200, 250, 1_000_000, 100), true);
    String yaml = "big: &big [" + "x, ".repeat(99) + "x]\n" + "copy: *big\n" + "again:\n  - *big\n";

    assertThatThrownBy(() -> small.read("copies.yaml", yaml))
        .hasMessageStartingWith(
            "copies.yaml:4:5: the alias *big makes the YAML expand to more than 250 nodes");
  }

  @Test
  void refusesAliasesThatRepeatALongTextPastTheTextLimit() {
    String yaml = "a: &a " + "x".repeat(100_000) + "\nb: [" + "*a, ".repeat(999) + "*a]\n";

    assertThatThrownBy(() -> reader.read("text.yaml", yaml))
        .hasMessageStartingWith("text.yaml:2:")
        .hasMessageContaining("the alias *a makes the YAML expand to more than 33,554,432")
        .hasMessageContaining("characters of text");
  }

  @Test
  void refusesListsNestedTenThousandDeepWithAMessageNotAStackOverflow() {
    String deep = Bombs.nestedLists(10_000);

    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(() -> reader.read("deep.yaml", deep))
                .isInstanceOf(TagflowException.class)
                .hasMessage(
                    "deep.yaml:1:201: the YAML nests mappings and lists more than 200 levels"
                        + " deep, the limit Tagflow reads; flatten it"));
  }

  @Test
  void refusesMappingsNestedTenThousandDeep() {
    String deep = "{a: ".repeat(10_000) + "}".repeat(10_000);

    assertThatThrownBy(() -> reader.read("deep.yaml", deep))
        .hasMessageContaining("nests mappings and lists more than 200 levels deep");
  }

  @Test
  void refusesAliasesThatNestPastTheDepthLimitOneLevelAtATime() {
    // Each line is shallow; what the last alias stands for is 5,001 lists deep.
    StringBuilder yaml = new StringBuilder("c0: &c0 [x]\n");
    for (int i = 1; i <= 5_000; i++) {
      yaml.append("c").append(i).append(": &c").append(i).append(" [*c").append(i - 1);
      yaml.append("]\n");
    }

    assertThatThrownBy(() -> reader.read("chain.yaml", yaml.toString()))
        .hasMessageStartingWith("chain.yaml:200:")
        .hasMessageContaining("the alias *c198 nests mappings and lists more than 200 levels");
  }

  @Test
  void refusesAFileOverTheSizeLimitByItsSizeWithoutReadingIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("huge.yaml");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(100L * 1024 * 1024); // sparse: nothing written, nothing to read
    }

    assertThatThrownBy(() -> reader.read(file))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            file
                + " is 104,857,600 bytes, more than the 10 MiB Tagflow reads from one YAML file;"
                + " split it into smaller files");
  }

  @Test
  void refusesTextOverTheSizeLimitBeforeParsingIt() {
    YamlReader small = new YamlReader(new YamlLimits(1024, 200, 1000, 1000, 10), true);

    assertThatThrownBy(() -> small.read("output", "a: " + "x".repeat(2000)))
        .hasMessage(
            "output is 2,003 characters, more than the 1,024 bytes Tagflow reads from one YAML"
                + " file; split it into smaller files");
  }

  @Test
  void resolvesAScalarAliasToItsValueNotItsName() {
    JsonNode tree = read("image: &img nginx:1.27\nsidecar: *img\n");

    assertThat(tree.path("sidecar").asText()).isEqualTo("nginx:1.27");
  }

  @Test
  void resolvesMappingAndListAliasesToCopiesOfTheirValues() {
    JsonNode tree =
        read(
            "labels: &labels {app: web, tier: front}\n"
                + "ports: &ports [80, 443]\n"
                + "copy: {labels: *labels, ports: *ports}\n");

    assertThat(tree.path("copy").toString())
        .isEqualTo("{\"labels\":{\"app\":\"web\",\"tier\":\"front\"},\"ports\":[80,443]}");
    // Copies, not the same objects: a change to one (a label added) must not change the other.
    assertThat(tree.path("copy").path("labels")).isNotSameAs(tree.path("labels"));
  }

  @Test
  void resolvesAnAliasToTheAnchorDefinedLastBeforeIt() {
    JsonNode tree = read("a: &x one\nb: *x\nc: &x two\nd: *x\n");

    assertThat(tree.toString())
        .isEqualTo("{\"a\":\"one\",\"b\":\"one\",\"c\":\"two\",\"d\":\"two\"}");
  }

  @Test
  void resolvesAliasesInsideAnchoredNodesAsTheyWereWhenRead() {
    JsonNode tree = read("x: &x 1\nlist: &list [*x]\ny: &x 2\ncopy: *list\n");

    assertThat(tree.path("copy").toString()).isEqualTo("[1]");
  }

  @Test
  void mergesMappingsNamedByAMergeKeyOwnKeysWinning() {
    JsonNode tree = read("base: &base {a: 1, b: 2}\nobject:\n  a: 9\n  <<: *base\n  c: 3\n");

    assertThat(tree.path("object").toString()).isEqualTo("{\"a\":9,\"c\":3,\"b\":2}");
  }

  @Test
  void mergesAListOfMappingsEarlierOnesWinning() {
    JsonNode tree = read("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nobject: {<<: [*a, *b], z: 3}\n");

    assertThat(tree.path("object").toString()).isEqualTo("{\"z\":3,\"x\":1,\"y\":2}");
  }

  @Test
  void readsAQuotedMergeKeyAsAnOrdinaryKey() {
    JsonNode tree = read("a: &a {x: 1}\nobject: {'<<': *a}\n");

    assertThat(tree.path("object").toString()).isEqualTo("{\"<<\":{\"x\":1}}");
  }

  @Test
  void refusesAMergeKeyOfSomethingElseThanMappings() {
    assertThatThrownBy(() -> reader.read("merge.yaml", "object:\n  <<: 5\n"))
        .hasMessage(
            "merge.yaml:2:3: the merge key << takes a mapping or a list of mappings"
                + " (<<: *defaults, or <<: [*a, *b]), not '5'");
  }

  @Test
  void refusesAnAliasInsideTheNodeItNames() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(() -> reader.read("loop.yaml", "a: &a [1, *a]\n"))
                .hasMessage(
                    "loop.yaml:1:11: the alias *a is inside the node &a it names, which would make"
                        + " that node endless; remove the alias"));
  }

  @Test
  void refusesAnAliasNamingNoAnchorEvenOneOfAnEarlierDocument() {
    assertThatThrownBy(() -> reader.read("docs.yaml", "a: &a 1\n---\nb: *a\n"))
        .hasMessageStartingWith(
            "docs.yaml:3:4: the alias *a names no anchor before it in this document");
  }

  @Test
  void refusesMoreAliasesThanTheLimit() {
    YamlReader few = new YamlReader(new YamlLimits(1024 * 1024, 200, 1000, 1000, 3), true);

    assertThatThrownBy(() -> few.read("many.yaml", "a: &a 1\nb: [*a, *a, *a, *a]\n"))
        .hasMessageStartingWith("many.yaml:2:17: more than 3 aliases in one file");
  }

  @Test
  void typesScalarsAsJacksonDoes() {
    JsonNode tree =
        read(
            "int: 1\nlong: 12345678901\nbig: 123456789012345678901234567890\nfloat: 1.5\n"
                + "hex: 0x1F\nyes: true\nnone: ~\nempty:\nquoted: '1'\nquotedEmpty: ''\n");

    assertThat(tree.path("int").isInt()).isTrue();
    assertThat(tree.path("long").isLong()).isTrue();
    assertThat(tree.path("big").bigIntegerValue())
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(tree.path("float").doubleValue()).isEqualTo(1.5);
    assertThat(tree.path("hex").intValue()).isEqualTo(31);
    assertThat(tree.path("yes").isBoolean()).isTrue();
    assertThat(tree.path("none").isNull()).isTrue();
    assertThat(tree.path("empty").isNull()).isTrue();
    assertThat(tree.path("quoted").isTextual()).isTrue();
    assertThat(tree.path("quotedEmpty").asText()).isEmpty();
  }

  @Test
  void countsEmptyDocumentsAndGivesEachDocumentItsLine() {
    List<YamlDocument> documents = reader.read("all.yaml", "---\na: 1\n---\n---\n# c\n---\nb: 2\n");

    assertThat(documents)
        .extracting(YamlDocument::index, YamlDocument::line, d -> d.value().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 2, "{\"a\":1}"),
            org.assertj.core.groups.Tuple.tuple(1, 4, "null"),
            org.assertj.core.groups.Tuple.tuple(2, 6, "null"),
            org.assertj.core.groups.Tuple.tuple(3, 7, "{\"b\":2}"));
  }

  @Test
  void refusesOrKeepsTheLastOfDuplicateKeysAsAsked() {
    assertThatThrownBy(() -> reader.read("dup.yaml", "a: 1\na: 2\n"))
        .hasMessageContaining("dup.yaml:2:")
        .hasMessageContaining("Duplicate field 'a'");

    JsonNode lenient =
        new YamlReader(YamlLimits.defaults(), false).readFirst("dup", "a: 1\na: 2\n");
    assertThat(lenient.path("a").intValue()).isEqualTo(2);
  }

  @Test
  void namesTheLinesOfTheFileForTextThatIsPartOfIt() {
    assertThatThrownBy(() -> reader.read("part.yaml", "a: [1, *nope]\n", 10))
        .hasMessageStartingWith("part.yaml:11:8: the alias *nope");
  }

  @Test
  void checksWhatAnotherProgramWillReadAgainstTheLimitsLeavingItsSyntaxToThatProgram() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () ->
            assertThatThrownBy(() -> reader.checkLimits("values.yaml", Bombs.chainedLists(30, "")))
                .hasMessageStartingWith("values.yaml:")
                .hasMessageContaining("more than 1,000,000 nodes"));
    assertThatThrownBy(() -> reader.checkLimits("deep.yaml", Bombs.nestedLists(10_000)))
        .hasMessageContaining("more than 200 levels deep");

    reader.checkLimits("template.yaml", "a: {{ .Values.a }}\nb: [unclosed\n");
    reader.checkLimits("fine.yaml", "a: &a [1]\nb: *a\n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // Found by YamlReaderFuzzTest: Jackson ended the stream at "!!int +" (a null token, an
        // NPE).
        "a: !!int +         | 1:4  | '+' does not fit its tag !!int, which needs an integer",
        "- !!int +          | 1:3  | '+' does not fit its tag !!int",
        "a: !!float .       | 1:4  | '.' does not fit its tag !!float, which needs a number",
        "a: !!int 0x        | 1:4  | '0x' does not fit its tag !!int",
        "a: 1\\nb: !!bool  | 2:4  | '' does not fit its tag !!bool, which needs true or false",
        "a: !!timestamp x   | 1:4  | 'x' does not fit its tag !!timestamp, which needs a date",
        "a: !!int abc       | 1:4  | 'abc' does not fit its tag !!int",
        "a: !!int 1.5       | 1:4  | '1.5' does not fit its tag !!int",
        "a: !!bool maybe    | 1:4  | 'maybe' does not fit its tag !!bool",
        "a: !!null x        | 1:4  | 'x' does not fit its tag !!null",
      })
  void aScalarThatDoesNotFitItsTypeTagIsAnErrorAtItsPlace(
      String yaml, String place, String problem) {
    String text = yaml.replace("\\n", "\n");
    for (YamlReader either : List.of(reader, new YamlReader(YamlLimits.defaults(), false))) {
      assertThatThrownBy(() -> either.read("tags.yaml", text))
          .isInstanceOf(TagflowException.class)
          .hasMessageStartingWith("tags.yaml:" + place + ": invalid YAML: the value ")
          .hasMessageContaining(problem)
          .hasMessageEndingWith("write such a value, or remove the tag to keep the text as it is")
          .satisfies(
              e ->
                  assertThat(((TagflowException) e).reason())
                      .isEqualTo(TagflowException.Reason.INVALID_INPUT));
    }
  }

  @Test
  void aScalarThatFitsItsTypeTagIsReadAsThatType() {
    JsonNode values =
        read(
            """
            int: !!int -42
            hex: !!int 0x1F
            grouped: !!int 1_000
            quoted: !!int "7"
            float: !!float 1e3
            whole: !!float 2
            bool: !!bool yes
            none: !!null ~
            date: !!timestamp 2026-12-06
            aliased: &n !!int 5
            again: *n
            """);

    assertThat(values.toString())
        .isEqualTo(
            "{\"int\":-42,\"hex\":31,\"grouped\":1000,\"quoted\":7,\"float\":1000.0,"
                + "\"whole\":2.0,\"bool\":true,\"none\":null,\"date\":\"2026-12-06\","
                + "\"aliased\":5,\"again\":5}");
  }

  @Test
  void measuringLeavesTextSnakeYamlFailsOnWithAnExceptionOfTheJdksToItsReader() {
    // Found by YamlReaderFuzzTest: an escape cut short is a NumberFormatException in SnakeYAML.
    reader.checkLimits("cut.yaml", "a: \"caf\\u");
    assertThatThrownBy(() -> reader.read("cut.yaml", "a: \"caf\\u"))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith("cut.yaml:");
  }

  @Test
  void readsAFileWithinTheLimit(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("ok.yaml"), "a: &a [1]\nb: *a\n");

    assertThat(reader.read(file).getFirst().value().toString()).isEqualTo("{\"a\":[1],\"b\":[1]}");
  }
}
