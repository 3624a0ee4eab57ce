package dev.tagflow.render;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.TagflowException;
import dev.tagflow.source.TreeEntry;
import dev.tagflow.source.TreeReader;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Files written out of Git for the programs that read only files (the Helm engine, kubectl). A tree
 * is written once per content key and reused while it is among the most recently used; each folder
 * is written beside its final name and moved there in one step, so a reader never sees half a
 * chart, and a folder is never removed while a render holds it.
 */
final class Workspace implements AutoCloseable {

  /** Charts kept written out: enough for every chart of a large installation, bounded on disk. */
  static final int DEFAULT_TREES = 200;

  private final Path root;
  private final int maxTrees;
  private final Map<String, Integer> holders = new HashMap<>();
  private final LinkedHashMap<String, Boolean> recent = new LinkedHashMap<>(16, 0.75f, true);

  Workspace(Path root) {
    this(root, DEFAULT_TREES);
  }

  Workspace(Path root, int maxTrees) {
    this.root = root.toAbsolutePath();
    this.maxTrees = maxTrees;
  }

  /** A written-out tree, held until closed so that it is not removed while in use. */
  final class Lease implements AutoCloseable {
    private final String key;
    private final Path path;

    private Lease(String key, Path path) {
      this.key = key;
      this.path = path;
    }

    Path path() {
      return path;
    }

    @Override
    public void close() {
      release(key);
    }
  }

  /**
   * The folder holding every file of {@code tree}, written the first time this key is asked for.
   *
   * @param transform turns a file (by its relative path) into the files to write, by relative path:
   *     itself, changed, or what an archive holds
   */
  Lease tree(
      String key, TreeReader tree, BiFunction<String, byte[], Map<String, byte[]>> transform) {
    hold(key);
    try {
      return new Lease(key, writeOnce(key, tree, transform));
    } catch (RuntimeException e) {
      release(key);
      throw e;
    }
  }

  private Path writeOnce(
      String key, TreeReader tree, BiFunction<String, byte[], Map<String, byte[]>> transform) {
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

  private synchronized void hold(String key) {
    holders.merge(key, 1, Integer::sum);
    recent.put(key, Boolean.TRUE);
  }

  /**
   * Lets go of a tree, then removes the least recently used trees nobody holds beyond the limit.
   */
  private synchronized void release(String key) {
    holders.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    var eldest = recent.keySet().iterator();
    int excess = recent.size() - maxTrees;
    while (excess > 0 && eldest.hasNext()) {
      String candidate = eldest.next();
      if (!holders.containsKey(candidate)) {
        eldest.remove();
        delete(root.resolve("trees").resolve(candidate));
        excess--;
      }
    }
  }

  /** How many trees are written out now; for tests. */
  synchronized int trees() {
    return recent.size();
  }

  /** Writes every file of a tree under a folder (links inside the tree are followed). */
  static void write(
      TreeReader tree, Path into, BiFunction<String, byte[], Map<String, byte[]>> transform)
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
      for (Map.Entry<String, byte[]> written : transform.apply(entry.path(), content).entrySet()) {
        Path file = into.resolve(written.getKey()).normalize();
        if (!file.startsWith(into)) {
          throw TagflowException.invalidInput(entry.path() + " would write outside its folder");
        }
        Files.createDirectories(file.getParent());
        Files.write(file, written.getValue());
      }
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
    // Leftovers of a render in the work folder are harmless; the next close tries again.
    DirectoryRemoval.tryDelete(path);
  }

  @Override
  public void close() {
    delete(root.resolve("trees"));
    delete(root.resolve("scratch"));
  }
}
