package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** $GITHUB_OUTPUT and $GITHUB_ENV as GitHub reads them, and what a step can write wrong. */
class EnvFileTest {

  @TempDir Path dir;

  @Test
  void readsBothFormsLaterValuesWinning() throws IOException {
    Path file = write("a=1\nb=x=y\n\nnotes<<EOF\none\n\ntwo\nEOF\na=2\nempty=\nc<<X\nX\n");

    assertThat(EnvFile.read(file, "$GITHUB_OUTPUT"))
        .containsExactly(
            java.util.Map.entry("a", "2"),
            java.util.Map.entry("b", "x=y"),
            java.util.Map.entry("notes", "one\n\ntwo"),
            java.util.Map.entry("empty", ""),
            java.util.Map.entry("c", ""));
  }

  @Test
  void crlfLinesAreRead() throws IOException {
    assertThat(EnvFile.read(write("a=1\r\nb<<E\r\nx\r\nE\r\n"), "f"))
        .containsEntry("a", "1")
        .containsEntry("b", "x");
  }

  @Test
  void refusesWhatIsNotAnEntryWithItsLine() throws IOException {
    assertThatThrownBy(() -> EnvFile.read(write("a=1\njust text\n"), "$GITHUB_ENV"))
        .hasMessage("$GITHUB_ENV line 2 is neither name=value nor name<<DELIMITER");
    assertThatThrownBy(() -> EnvFile.read(write("=1\n"), "$GITHUB_ENV"))
        .hasMessage("$GITHUB_ENV line 1: '' is not a name");
    assertThatThrownBy(() -> EnvFile.read(write("x<<\n"), "$GITHUB_ENV"))
        .hasMessage("$GITHUB_ENV line 1: 'x<<' has no delimiter");
    assertThatThrownBy(() -> EnvFile.read(write("ok=1\nx<<EOF\nnever\n"), "$GITHUB_ENV"))
        .hasMessage("$GITHUB_ENV line 2: the value of 'x' is not ended by a line 'EOF'");
  }

  @Test
  void refusesAFileLargerThanTheLimitWithoutReadingIt() throws IOException {
    Path file = dir.resolve("big");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(EnvFile.MAX_BYTES + 1);
    }
    assertThatThrownBy(() -> EnvFile.read(file, "$GITHUB_OUTPUT"))
        .hasMessage("$GITHUB_OUTPUT is larger than 16 MiB");
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(dir, "env", "");
    Files.writeString(file, text);
    return file;
  }
}
