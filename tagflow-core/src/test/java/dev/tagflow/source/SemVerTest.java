package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

  @Test
  void ordersVersionsByPrecedenceAsSemverOrgDoes() {
    List<String> ordered =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.2.0",
            "1.10.0",
            "2.0.0");
    List<SemVer> versions = ordered.stream().map(v -> SemVer.parse(v).orElseThrow()).toList();

    assertThat(versions.reversed().stream().sorted().map(SemVer::toString).toList())
        .isEqualTo(ordered);
  }

  @Test
  void ignoresBuildMetadataInPrecedence() {
    assertThat(SemVer.parse("1.0.0+a").orElseThrow())
        .isEqualByComparingTo(SemVer.parse("1.0.0+b").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2", "v1.2.3", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3.4", ""})
  void rejectsWhatIsNotAStrictVersion(String text) {
    assertThat(SemVer.parse(text)).isEmpty();
  }

  @Test
  void keepsPrereleaseAndBuildWhenPrinted() {
    assertThat(SemVer.parse("1.2.3-rc.1+build.5").orElseThrow().toString())
        .isEqualTo("1.2.3-rc.1+build.5");
  }
}
