package dev.tagflow.render;

import dev.tagflow.TagflowException;
import dev.tagflow.source.TreeEntry;
import dev.tagflow.source.TreeReader;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Plain manifests: every {@code .yaml}, {@code .yml} and {@code .json} file of the path (and of its
 * subdirectories with {@code recurse}), filtered by the include and exclude globs, in path order.
 */
final class DirectoryRenderer {

  private final ManifestParser parser;

  DirectoryRenderer(ManifestParser parser) {
    this.parser = parser;
  }

  RenderPlan plan(RenderSource source, SourceKind.Directory directory, TreeReader tree) {
    Predicate<String> included = matcher(directory.include(), "include", true);
    Predicate<String> excluded = matcher(directory.exclude(), "exclude", false);
    String key =
        String.join(
            "|",
            "directory",
            tree.path(),
            tree.treeId(),
            String.valueOf(directory.recurse()),
            directory.include().orElse(""),
            directory.exclude().orElse(""));
    return new RenderPlan(
        key,
        "directory",
        () -> {
          List<ManifestParser.Document> documents = new ArrayList<>();
          for (TreeEntry entry : tree.list()) {
            String path = entry.path();
            if (!isManifest(path)
                || (!directory.recurse() && path.contains("/"))
                || !included.test(path)
                || excluded.test(path)) {
              continue;
            }
            String file = inRepository(tree, path);
            documents.addAll(parser.parse(file, parser.read(tree, path, file)));
          }
          return documents;
        });
  }

  static boolean isManifest(String path) {
    return path.endsWith(".yaml") || path.endsWith(".yml") || path.endsWith(".json");
  }

  static String inRepository(TreeReader tree, String relative) {
    return tree.path().isEmpty() ? relative : tree.path() + "/" + relative;
  }

  private static Predicate<String> matcher(Optional<String> glob, String what, boolean absent) {
    if (glob.isEmpty() || glob.get().isBlank()) {
      return path -> absent;
    }
    try {
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.get().strip());
      return path -> matcher.matches(Path.of(path));
    } catch (IllegalArgumentException e) {
      throw TagflowException.invalidInput(
          "the directory "
              + what
              + " pattern '"
              + glob.get()
              + "' is not a valid glob: "
              + e.getMessage());
    }
  }
}
