package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the differ takes a live version for an older one of an object it already compared. */
class LiveViewBehindTest {

  @Test
  void aLowerResourceVersionOfTheSameObjectIsBehind() {
    assertThat(ComparisonMemo.behind("u-1@41", "u-1@57")).isTrue();
  }

  @Test
  void resourceVersionsAreComparedAsNumbersNotAsText() {
    assertThat(ComparisonMemo.behind("u-1@9", "u-1@10")).isTrue();
    assertThat(ComparisonMemo.behind("u-1@10", "u-1@9")).isFalse();
  }

  @Test
  void theSameOrANewerVersionIsNotBehindSoAHandEditIsDryRun() {
    assertThat(ComparisonMemo.behind("u-1@57", "u-1@57")).isFalse();
    assertThat(ComparisonMemo.behind("u-1@60", "u-1@57")).isFalse();
  }

  @Test
  void anotherObjectOfTheSameNameIsNeverBehind() {
    // Deleted and created again (by hand, or by a Replace): compared, never assumed.
    assertThat(ComparisonMemo.behind("u-2@41", "u-1@57")).isFalse();
    assertThat(ComparisonMemo.behind("u-10@41", "u-1@57")).isFalse();
  }

  @Test
  void anAbsentObjectOrOneNeverSeenIsNotBehind() {
    assertThat(ComparisonMemo.behind("", "u-1@57")).isFalse();
    assertThat(ComparisonMemo.behind("u-1@41", "")).isFalse();
  }

  @Test
  void versionsThatAreNotNumbersCannotBeOrdered() {
    assertThat(ComparisonMemo.behind("u-1@abc", "u-1@57")).isFalse();
    assertThat(ComparisonMemo.behind("u-1@41", "u-1@x9")).isFalse();
    assertThat(ComparisonMemo.behind("u-1@", "u-1@57")).isFalse();
  }
}
