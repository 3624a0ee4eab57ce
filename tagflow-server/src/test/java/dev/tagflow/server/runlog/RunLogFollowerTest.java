package dev.tagflow.server.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading whole lines from an offset and the offsets a Last-Event-ID resumes from. */
class RunLogFollowerTest {

  @TempDir Path temp;

  @Test
  void aPartialLastLineWaitsForItsEndUnlessTheRunEnded() throws Exception {
    Path log = Files.writeString(temp.resolve("log"), "one\r\ntwo\nthr");
    RunLogFollower.Read running = RunLogFollower.read(log, 0, false, false);
    assertThat(running.lines()).containsExactly(new LogLine("one", 5), new LogLine("two", 9));
    assertThat(running.end()).isEqualTo(9);
    assertThat(RunLogFollower.read(log, running.end(), false, false).lines()).isEmpty();
    RunLogFollower.Read ended = RunLogFollower.read(log, running.end(), false, true);
    assertThat(ended.lines()).containsExactly(new LogLine("thr", Files.size(log)));
    assertThat(ended.end()).isEqualTo(Files.size(log));
  }

  @Test
  void aTailStartingInsideALineSkipsItAndAMissingLogIsNothingYet() throws Exception {
    Path log = Files.writeString(temp.resolve("log"), "abcdef\nghi\n");
    assertThat(RunLogFollower.read(log, 3, true, false).lines())
        .containsExactly(new LogLine("ghi", 11));
    assertThat(RunLogFollower.read(temp.resolve("none"), 0, false, false).lines()).isEmpty();
  }

  @Test
  void aLineLongerThanTheMostIsCutSayingSo() throws Exception {
    Path log =
        Files.writeString(
            temp.resolve("log"), "x".repeat(RunLogFollower.MAX_LINE_CHARS + 10) + "\n");
    assertThat(RunLogFollower.read(log, 0, false, false).lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line.text())
                    .startsWith("x".repeat(RunLogFollower.MAX_LINE_CHARS) + "…")
                    .endsWith("(line cut at " + RunLogFollower.MAX_LINE_CHARS + " characters)"))
        .satisfies(line -> assertThat(line.end()).isEqualTo(Files.size(log)));
  }

  @Test
  void aLineLongerThanASliceIsSentInSlicesWhileTheRunWrites() throws Exception {
    Path log = Files.writeString(temp.resolve("log"), "y".repeat(RunLogFollower.SLICE + 10));
    RunLogFollower.Read read = RunLogFollower.read(log, 0, false, false);
    assertThat(read.end()).isEqualTo(RunLogFollower.SLICE);
    assertThat(read.lines()).singleElement().satisfies(l -> assertThat(l.text()).startsWith("yyy"));
    assertThat(RunLogFollower.read(log, read.end(), false, false).lines())
        .as("the rest waits for its line break")
        .isEmpty();
  }

  @Test
  void onlyAnOffsetTheServerSentIsResumedFrom() {
    assertThat(RunLogFollower.resumeOffset("1234")).hasValue(1234);
    assertThat(RunLogFollower.resumeOffset(null)).hasValue(0);
    assertThat(RunLogFollower.resumeOffset(" ")).hasValue(0);
    assertThat(RunLogFollower.resumeOffset("-5")).isEmpty();
    assertThat(RunLogFollower.resumeOffset("12ab")).isEmpty();
    assertThat(RunLogFollower.resumeOffset("9".repeat(40))).isEmpty();
  }
}
