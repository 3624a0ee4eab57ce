package dev.tagflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Removes a file or folder with everything under it, deepest entries first. */
public final class DirectoryRemoval {

  private DirectoryRemoval() {}

  /**
   * Deletes {@code path} and everything under it; nothing when it does not exist.
   *
   * @throws IOException at the first entry that cannot be read or deleted (the rest stays)
   */
  public static void delete(Path path) throws IOException {
    if (Files.exists(path)) {
      for (Path entry : deepestFirst(path)) {
        Files.deleteIfExists(entry);
      }
    }
  }

  /**
   * Deletes everything under {@code directory}, keeping the directory itself.
   *
   * @throws IOException at the first entry that cannot be read or deleted (the rest stays)
   */
  public static void clear(Path directory) throws IOException {
    for (Path entry : deepestFirst(directory)) {
      if (!entry.equals(directory)) {
        Files.deleteIfExists(entry);
      }
    }
  }

  /**
   * Deletes what it can of {@code path} and everything under it, for leftovers nobody reads (a
   * later cleaning tries again): what could not go is left.
   *
   * @return the first failure, empty when all is gone
   */
  public static Optional<IOException> tryDelete(Path path) {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    List<Path> entries;
    try {
      entries = deepestFirst(path);
    } catch (IOException e) {
      return Optional.of(e);
    }
    IOException first = null;
    for (Path entry : entries) {
      try {
        Files.deleteIfExists(entry);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    return Optional.ofNullable(first);
  }

  private static List<Path> deepestFirst(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.sorted(Comparator.reverseOrder()).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause(); // a folder the walk could not list
    }
  }
}
