package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Masking of values in lines, including the forms a value takes when it is split or encoded. */
class MaskedValuesTest {

  final MaskedValues mask = new MaskedValues();
  final List<String> out = new ArrayList<>();
  final LineMasker lines = new LineMasker(mask, (kind, text) -> out.add(text));

  @Test
  void masksEveryOccurrenceAndOverlappingValuesAsOne() {
    mask.add("abcdef");
    mask.add("defghi");

    assertThat(mask.apply("x abcdefghi y abcdef")).isEqualTo("x *** y ***");
  }

  @Test
  void blankValuesAreIgnoredAndShortDerivedFormsAreNotMasked() {
    mask.add("");
    mask.add("   ");
    mask.add("ab");

    assertThat(mask.apply("a b ab YWI=")).isEqualTo("a b *** YWI=");
  }

  @Test
  void aValueSplitOverTwoLinesIsMaskedOnBoth() {
    mask.add("s3cr3t-value");

    lines.line(LogLine.Kind.OUTPUT, "before s3cr3");
    assertThat(out).isEmpty(); // held: its end begins the value
    lines.line(LogLine.Kind.OUTPUT, "t-value after");

    assertThat(out).containsExactly("before ***", "*** after");
  }

  @Test
  void aLineEndingWithOnlyOneOrTwoCharactersOfAValueIsNotHeld() {
    mask.add("s3cr3t-value");

    lines.line(LogLine.Kind.OUTPUT, "ends with s");
    lines.line(LogLine.Kind.OUTPUT, "ends with s3");

    assertThat(out).containsExactly("ends with s", "ends with s3");
  }

  @Test
  void aHeldLineThatTurnsOutHarmlessIsWrittenAsIs() {
    mask.add("s3cr3t-value");

    lines.line(LogLine.Kind.OUTPUT, "ends with s3c");
    lines.line(LogLine.Kind.OUTPUT, "something else");
    lines.line(LogLine.Kind.OUTPUT, "last s3cr");
    lines.flush();

    assertThat(out).containsExactly("ends with s3c", "something else", "last s3cr");
  }

  @Test
  void aValueOverThreeLinesIsMaskedOnEach() {
    mask.add("0123456789");

    lines.line(LogLine.Kind.OUTPUT, "a 0123");
    lines.line(LogLine.Kind.OUTPUT, "456");
    lines.line(LogLine.Kind.OUTPUT, "789 b");
    lines.flush();

    assertThat(out).containsExactly("a ***", "***", "*** b");
  }

  @Test
  void aValueEndingWhereAnotherBeginsKeepsBothMasked() {
    mask.add("AAAA-1111");
    mask.add("1111-BBBB");

    lines.line(LogLine.Kind.OUTPUT, "x AAAA-");
    lines.line(LogLine.Kind.OUTPUT, "1111");
    lines.line(LogLine.Kind.OUTPUT, "-BBBB y");
    lines.flush();

    assertThat(out).containsExactly("x ***", "***", "*** y");
  }

  @Test
  void eachLineOfAMultiLineValueIsMasked() {
    mask.add("-----BEGIN-----\nAAAABBBBCCCC\n-----END-----");

    assertThat(mask.apply("key: AAAABBBBCCCC")).isEqualTo("key: ***");
  }

  @Test
  void base64AtEveryAlignmentIsMasked() {
    String secret = "correct horse battery staple";
    mask.add(secret);
    for (String prefix : List.of("", "a", "ab", "abc")) {
      String encoded =
          Base64.getEncoder()
              .encodeToString((prefix + secret + "zz").getBytes(StandardCharsets.UTF_8));
      String masked = mask.apply(encoded);
      assertThat(masked).contains(MaskedValues.MASK);
      // at most the three characters on each side that also hold other bytes remain
      assertThat(masked.replace(MaskedValues.MASK, "")).hasSizeLessThanOrEqualTo(12);
    }
  }

  @Test
  void aVeryLongLineIsMaskedWhole() {
    mask.add("needle-value");
    String line = "x".repeat(200_000) + "needle-value" + "y".repeat(200_000);

    assertThat(mask.apply(line)).hasSize(400_003).contains("x***y");
  }

  @Test
  void unicodeValuesAreMasked() {
    mask.add("pässwörd-✓-秘密");

    assertThat(mask.apply("is pässwörd-✓-秘密!")).isEqualTo("is ***!");
  }
}
