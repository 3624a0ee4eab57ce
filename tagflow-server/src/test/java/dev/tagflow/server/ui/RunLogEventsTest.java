package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogEventsTest {

  @TempDir Path temp;

  @Test
  void aPartialLastLineWaitsForItsEndUnlessTheRunEnded() throws Exception {
    Path log = Files.writeString(temp.resolve("log"), "one\ntwo\nthr");
    RunLogEvents.Read running = RunLogEvents.read(log, 0, false, false);
    assertThat(running.lines()).containsExactly("one", "two");
    assertThat(running.end()).isEqualTo(8);
    assertThat(RunLogEvents.read(log, running.end(), false, false).lines()).isEmpty();
    RunLogEvents.Read ended = RunLogEvents.read(log, running.end(), false, true);
    assertThat(ended.lines()).containsExactly("thr");
    assertThat(ended.end()).isEqualTo(Files.size(log));
  }

  @Test
  void aTailStartingInsideALineSkipsItAndAMissingLogIsNothingYet() throws Exception {
    Path log = Files.writeString(temp.resolve("log"), "abcdef\nghi\n");
    assertThat(RunLogEvents.read(log, 3, true, false).lines()).containsExactly("ghi");
    assertThat(RunLogEvents.read(temp.resolve("none"), 0, false, false).lines()).isEmpty();
  }

  @Test
  void aLineLongerThanAChunkIsSentCut() throws Exception {
    Path log = Files.writeString(temp.resolve("log"), "x".repeat(RunLogEvents.CHUNK_BYTES + 10));
    RunLogEvents.Read read = RunLogEvents.read(log, 0, false, false);
    assertThat(read.lines())
        .singleElement()
        .satisfies(l -> assertThat(l).hasSize(RunLogEvents.CHUNK_BYTES));
  }

  @Test
  void onlyAnOffsetTheServerSentIsResumedFrom() {
    assertThat(RunLogEvents.resumeOffset("1234")).isEqualTo(1234);
    assertThat(RunLogEvents.resumeOffset(null)).isZero();
    assertThat(RunLogEvents.resumeOffset("-5")).isZero();
    assertThat(RunLogEvents.resumeOffset("9".repeat(40))).isZero();
  }
}
