package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerRangeTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "*                ; 3.4.5        ; true",
        "*                ; 3.4.5-rc.1   ; false",
        "1.2.x            ; 1.2.9        ; true",
        "1.2.x            ; 1.3.0        ; false",
        "1.2              ; 1.2.0        ; true",
        "1.x              ; 1.99.0       ; true",
        "1.2.3            ; 1.2.3        ; true",
        "=1.2.3           ; 1.2.4        ; false",
        "~1.2             ; 1.2.7        ; true",
        "~1.2             ; 1.3.0        ; false",
        "~1.2.3           ; 1.2.2        ; false",
        "~1               ; 1.9.0        ; true",
        "^1               ; 1.9.9        ; true",
        "^1               ; 2.0.0        ; false",
        "^1.2.3           ; 1.2.3        ; true",
        "^1.2.3           ; 1.2.2        ; false",
        "^0.2.3           ; 0.2.9        ; true",
        "^0.2.3           ; 0.3.0        ; false",
        "^0.0.3           ; 0.0.4        ; false",
        ">=1.2.0 <2.0.0   ; 1.9.9        ; true",
        ">=1.2.0 <2.0.0   ; 2.0.0        ; false",
        ">=1.2.0 <2.0.0   ; 2.0.0-rc.1   ; false",
        ">= 1.2.0 < 2.0.0 ; 1.5.0        ; true",
        ">1.2             ; 1.2.9        ; false",
        ">1.2             ; 1.3.0        ; true",
        "<=1.2            ; 1.2.9        ; true",
        "<=1.2            ; 1.3.0        ; false",
        "1.0.0 - 1.4      ; 1.4.9        ; true",
        "1.0.0 - 1.4      ; 1.5.0        ; false",
        "^1 || ^3         ; 3.1.0        ; true",
        "^1 || ^3         ; 2.1.0        ; false",
        ">=1.5.0-rc.0 <2  ; 1.5.0-rc.2   ; true",
        ">=1.5.0-rc.0 <2  ; 1.6.0-rc.1   ; false",
        "^1.5.0-beta.1    ; 1.5.0-beta.2 ; true",
        "^1.5.0-beta.1    ; 1.5.0        ; true",
        "v1.2.x           ; 1.2.4        ; true",
        "prod-v^1         ; 1.4.0        ; true",
      })
  void decidesWhetherAVersionIsInTheRange(String range, String version, boolean expected) {
    assertThat(SemVerRange.parse(range).matches(SemVer.parse(version).orElseThrow()))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"v1.2.x,v", "prod-v^1.2,prod-v", "1.x,''", "*,''", "release/v~2,release/v"})
  void remembersTheTagPrefixWrittenBeforeTheVersions(String range, String prefix) {
    assertThat(SemVerRange.parse(range).prefix()).isEqualTo(prefix);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "main",
        "feature/x-y",
        "1.2.3.4",
        "v1 || prod-v2",
        ">=",
        "^^1",
        "99999999999999999999",
        "v1.2.x 2222222222222222222222222"
      })
  void rejectsWhatIsNotARangeWithAnExample(String text) {
    assertThat(SemVerRange.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> SemVerRange.parse(text))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("is not a version range")
        .hasMessageContaining("1.2.x");
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "9223372036854775807           ; 9223372036854775807.5.0 ; true",
        "^9223372036854775807          ; 9223372036854775807.0.1 ; true",
        ">9223372036854775807          ; 9223372036854775807.9.9 ; false",
        "<=9223372036854775807         ; 9223372036854775807.9.9 ; true",
        "~1.9223372036854775807        ; 1.9223372036854775807.3 ; true",
        "~1.9223372036854775807        ; 2.0.0                   ; false",
        "^0.0.9223372036854775807      ; 0.1.0                   ; false",
      })
  void boundsARangeAtTheLargestVersionNumberWithoutOverflowing(
      String range, String version, boolean expected) {
    assertThat(SemVerRange.parse(range).matches(SemVer.parse(version).orElseThrow()))
        .isEqualTo(expected);
  }
}
