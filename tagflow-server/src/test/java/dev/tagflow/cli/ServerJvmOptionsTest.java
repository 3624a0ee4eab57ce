package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerJvmOptionsTest {

  @Test
  void theShippedFileChoosesACollectorASmallStartingHeapAndShrinkingAtOnce() {
    assertThat(ServerJvmOptions.read())
        .contains("-XX:+UseSerialGC", "-XX:-ShrinkHeapInSteps")
        .anyMatch(option -> option.startsWith("-Xms"))
        .anyMatch(option -> option.startsWith("-XX:TrimNativeHeapInterval="))
        .allMatch(option -> option.startsWith("-"));
  }

  @Test
  void readsWordsAsJavaReadsAnArgumentFileAndSkipsComments() {
    assertThat(
            ServerJvmOptions.parse(
                "# why\n-XX:+UseSerialGC   # the collector\n\n  -Xms16m -Xss512k\n#-Xmx1g\n"))
        .containsExactly("-XX:+UseSerialGC", "-Xms16m", "-Xss512k");
  }

  @Test
  void refusesAQuotedOptionItWouldNotUnquoteAsJavaDoes() {
    assertThatThrownBy(() -> ServerJvmOptions.parse("-Dname=\"a b\"\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("quoted option");
  }
}
