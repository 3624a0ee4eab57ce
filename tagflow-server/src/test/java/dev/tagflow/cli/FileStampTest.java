package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStampTest {

  @TempDir Path temp;

  @Test
  void aFileNobodyTouchesIsUnchangedLookAfterLook() throws Exception {
    Path file = temp.resolve("repositories.yaml");
    Files.writeString(file, "repositories: []\n");
    FileStamp stamp = new FileStamp(file);

    assertThat(stamp.changed()).isFalse();
    assertThat(stamp.changed()).isFalse();
  }

  @Test
  void madeReplacedByARenameAndRemovedEachCountOnce() throws Exception {
    Path file = temp.resolve("repositories.yaml");
    FileStamp stamp = new FileStamp(file);
    assertThat(stamp.changed()).as("absent, still absent").isFalse();

    Files.writeString(file, "repositories: []\n");
    assertThat(stamp.changed()).as("made").isTrue();
    assertThat(stamp.changed()).isFalse();

    // As 'tagflow repo add' writes it: beside, then moved over it, the same size.
    Path beside = temp.resolve("repositories.yaml.tmp");
    Files.writeString(beside, "repositories: {}\n");
    Files.move(beside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertThat(stamp.changed()).as("replaced").isTrue();
    assertThat(stamp.changed()).isFalse();

    Files.delete(file);
    assertThat(stamp.changed()).as("removed").isTrue();
    assertThat(stamp.changed()).isFalse();
  }

  @Test
  void aFileThatCannotBeLookedAtCountsAsChangedEachTime() throws Exception {
    // Two links to each other: stat fails with "too many levels of symbolic links" (ELOOP), not
    // "no such file" (as root, a mode cannot make stat fail).
    Path file = temp.resolve("repositories.yaml");
    Path other = temp.resolve("other");
    Files.createSymbolicLink(file, other);
    Files.createSymbolicLink(other, file);
    FileStamp stamp = new FileStamp(file);

    assertThat(stamp.changed()).isTrue();
    assertThat(stamp.changed()).isTrue();
  }
}
