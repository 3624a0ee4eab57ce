package dev.tagflow.render;

import dev.tagflow.TagflowException;
import dev.tagflow.source.TreeEntry;
import dev.tagflow.source.TreeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Files written out of Git for the programs that read only files (the Helm engine, kubectl). A tree
 * is written once per content key and reused; each folder is written beside its final name and
 * moved there in one step, so a reader never sees half a chart.
 */
final class Workspace implements AutoCloseable {

  private final Path root;

  Workspace(Path root) {
    this.root = root.toAbsolutePath();
  }

  /**
   * The folder holding every file of {@code tree}, written the first time this key is asked for.
   *
   * @param transform may change a file's content on the way (given its relative path)
   */
  Path tree(String key, TreeReader tree, BiFunction<String, byte[], byte[]> transform) {
    Path target = root.resolve("trees").resolve(key);
    if (Files.isDirectory(target)) {
      return target;
    }
    Path partial = root.resolve("trees").resolve(key + ".tmp-" + UUID.randomUUID());
    try {
      write(tree, partial, transform);
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
        // Another render wrote the same content first: theirs is as good as ours.
        delete(partial);
      } catch (IOException raced) {
        delete(partial);
        if (!Files.isDirectory(target)) {
          throw raced;
        }
      }
      return target;
    } catch (IOException e) {
      delete(partial);
      throw TagflowException.failed("cannot write " + tree.path() + " to " + partial + ": " + e, e);
    }
  }

  /** Writes every file of a tree under a folder (links inside the tree are followed). */
  static void write(TreeReader tree, Path into, BiFunction<String, byte[], byte[]> transform)
      throws IOException {
    Files.createDirectories(into);
    for (TreeEntry entry : tree.list()) {
      if (entry.kind() == TreeEntry.Kind.SUBMODULE) {
        continue;
      }
      byte[] content;
      try {
        content = tree.read(entry.path());
      } catch (TagflowException dangling) {
        if (entry.kind() == TreeEntry.Kind.SYMLINK) {
          continue; // a link to nothing: neither Helm nor kustomize could read it either
        }
        throw dangling;
      }
      Path file = into.resolve(entry.path());
      Files.createDirectories(file.getParent());
      Files.write(file, transform.apply(entry.path(), content));
    }
  }

  /** A fresh folder for one render's own files (values files, an overlay). */
  Path scratch() {
    try {
      return Files.createDirectories(root.resolve("scratch").resolve(UUID.randomUUID().toString()));
    } catch (IOException e) {
      throw TagflowException.failed("cannot create a folder under " + root + ": " + e, e);
    }
  }

  static void delete(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // Leftovers of a render in the work folder are harmless; the next close tries again.
    }
  }

  @Override
  public void close() {
    delete(root.resolve("trees"));
    delete(root.resolve("scratch"));
  }
}
