package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The version range a user writes as {@code targetRevision}, and the tags it is matched against,
 * fed anything. An input is a range on its first line and candidate versions on the following ones.
 * A crash is any exception but the parser's own INVALID_INPUT, or a version that does not read back
 * as itself.
 */
class SemVerRangeFuzzTest {

  // The range's own words, and the largest number a version part may have, so the fuzzer tries
  // them.
  @DictionaryEntries({
    ">=",
    "<=",
    "~>",
    "^",
    "||",
    " - ",
    ".x",
    "*",
    "-rc.1",
    "+build.1",
    "v",
    "9223372036854775807"
  })
  @FuzzTest
  void parsesAnyRangeOrSaysWhyNot(byte[] input) {
    List<String> lines = new String(input, StandardCharsets.UTF_8).lines().toList();
    String text = lines.isEmpty() ? "" : lines.getFirst();
    Optional<SemVerRange> range = SemVerRange.tryParse(text);
    if (range.isEmpty()) {
      TagflowException refused =
          catchThrowableOfType(TagflowException.class, () -> SemVerRange.parse(text));
      assertThat(refused.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
      return;
    }
    assertThat(SemVerRange.parse(text)).isEqualTo(range.get());
    List<SemVer> versions = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      SemVer.parse(line).ifPresent(versions::add);
    }
    for (SemVer version : versions) {
      range.get().matches(version);
    }
    range.get().highest(versions).ifPresent(v -> assertThat(range.get().matches(v)).isTrue());
    range.get().namesPrerelease();
  }

  @FuzzTest
  void readsAnyVersionBackAsItselfAndOrdersItConsistently(byte[] input) {
    List<SemVer> versions = new ArrayList<>();
    for (String line : new String(input, StandardCharsets.UTF_8).lines().toList()) {
      Optional<SemVer> version = SemVer.parse(line);
      if (version.isPresent()) {
        assertThat(SemVer.parse(version.get().toString())).contains(version.get());
        versions.add(version.get());
      }
    }
    for (SemVer a : versions) {
      for (SemVer b : versions) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
      }
    }
  }
}
