package dev.tagflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Whether a file changed since it was last looked at, by what {@code stat} says of it (inode, size,
 * modification time): a cheap look for a timer, which then reads the file only when it changed. A
 * file rewritten in place to the same size within the file system's time resolution reads as
 * unchanged; the files looked at this way are replaced by a rename, which changes the inode.
 */
final class FileStamp {

  /** What stat says of the file; {@link #ABSENT} when there is none. */
  private record Stamp(Object fileKey, long size, FileTime modified) {}

  private static final Stamp ABSENT = new Stamp("absent", -1, FileTime.fromMillis(0));

  private final Path file;
  private Stamp last;

  FileStamp(Path file) {
    this.file = Objects.requireNonNull(file, "file");
    try {
      this.last = stamp();
    } catch (IOException e) {
      this.last = null; // the first look counts as a change
    }
  }

  /**
   * Whether the file was made, removed or changed since the last call (or since construction); a
   * file that cannot be looked at counts as changed, so that its reader says what is wrong.
   */
  synchronized boolean changed() {
    Stamp now;
    try {
      now = stamp();
    } catch (IOException e) {
      last = null;
      return true;
    }
    boolean changed = !now.equals(last);
    last = now;
    return changed;
  }

  private Stamp stamp() throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
    } catch (NoSuchFileException e) {
      return ABSENT;
    }
  }
}
