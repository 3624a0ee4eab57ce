package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives that are too big for their limits are refused before anything is written. */
class FileArchiveTest {

  @TempDir Path dir;

  @Test
  void tooManyEntriesOrTooManyBytesAreRefusedWithNothingWritten() throws IOException {
    Path many = dir.resolve("many.zip");
    Path bomb = dir.resolve("bomb.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(many))) {
      for (int i = 0; i < 5; i++) {
        zip.putNextEntry(new ZipEntry("f" + i));
        zip.closeEntry();
      }
    }
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
      zip.putNextEntry(new ZipEntry("zeros"));
      zip.write(new byte[4 * 1024 * 1024]); // a few KB compressed
      zip.closeEntry();
    }
    Path into = Files.createDirectories(dir.resolve("into"));
    FileArchive.Limits limits = new FileArchive.Limits(4, 1024 * 1024);

    assertThatThrownBy(
            () ->
                FileArchive.extract(
                    many, n -> new FileArchive.Place(into, into.resolve(n)), limits))
        .hasMessageContaining("refused and nothing was written: it has more than 4 entries");
    assertThatThrownBy(
            () ->
                FileArchive.extract(
                    bomb, n -> new FileArchive.Place(into, into.resolve(n)), limits))
        .hasMessageContaining("refused and nothing was written")
        .hasMessageContaining("1048576 bytes");
    assertThat(Files.size(bomb)).isLessThan(64 * 1024);
    try (var files = Files.list(into)) {
      assertThat(files).isEmpty();
    }
  }
}
