package dev.tagflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real folders on disk: nested deep, with links that lead out of them. */
class DirectoryRemovalTest {

  @TempDir Path temp;

  @Test
  void deletesAFolderNestedDeepWithItsFiles() throws IOException {
    Path top = temp.resolve("top");
    Path deep = top;
    for (int i = 0; i < 200; i++) {
      deep = deep.resolve("d" + i);
    }
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("file"), "x");
    Files.writeString(top.resolve("beside"), "y");

    DirectoryRemoval.delete(top);

    assertThat(top).doesNotExist();
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void followsNoLinkOutOfTheFolder() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "kept");
    Path top = Files.createDirectories(temp.resolve("top"));
    Files.createSymbolicLink(top.resolve("link"), outside);

    DirectoryRemoval.delete(top);
    assertThat(top).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("kept");

    Path again = Files.createDirectories(temp.resolve("again"));
    Files.createSymbolicLink(again.resolve("link"), outside);
    assertThat(DirectoryRemoval.tryDelete(again)).isEmpty();
    assertThat(outside.resolve("keep")).hasContent("kept");
  }

  @Test
  void aMissingPathIsNothingToDeleteAndAFileIsDeleted() throws IOException {
    DirectoryRemoval.delete(temp.resolve("missing"));
    assertThat(DirectoryRemoval.tryDelete(temp.resolve("missing"))).isEmpty();
    Path file = Files.writeString(temp.resolve("file"), "x");
    DirectoryRemoval.delete(file);
    assertThat(file).doesNotExist();
  }

  @Test
  void clearKeepsTheFolderAndRefusesAMissingOne() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("folder/sub"));
    Files.writeString(folder.resolve("file"), "x");

    DirectoryRemoval.clear(temp.resolve("folder"));

    assertThat(temp.resolve("folder")).isEmptyDirectory();
    assertThatThrownBy(() -> DirectoryRemoval.clear(temp.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
