package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Glob;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code path:} input of {@code actions/cache} and {@code actions/upload-artifact}: one pattern
 * a line ({@code #} comments), relative to the workspace, absolute, or from the home directory
 * ({@code ~}); {@code *}, {@code ?}, {@code [..]} and {@code **} as {@code @actions/glob} reads
 * them; a leading {@code !} excludes what an earlier line included. A pattern that matches a
 * directory matches everything in it. Symbolic links are never followed while walking: a link is
 * found as a link.
 */
final class PathPatterns {

  /** One line: its absolute pattern, and where a walk for it starts (its literal prefix). */
  record Line(String written, Glob glob, Path base) {}

  /** What a walk found, with the line (index among the including lines) that found it first. */
  record Found(int line, Path base, Path path, Kind kind) {}

  /** What a found path is; a link is never followed. */
  enum Kind {
    FILE,
    DIRECTORY,
    LINK
  }

  /** Refuses a walk past this many entries: a pattern of {@code /**} is a mistake. */
  static final int MAX_ENTRIES = 1_000_000;

  private final List<Line> includes = new ArrayList<>();
  private final List<Glob> all = new ArrayList<>();

  private PathPatterns() {}

  /**
   * Reads the lines of a {@code path:} input.
   *
   * @throws StepFailure for an input without a pattern, or one that cannot be a path
   */
  static PathPatterns parse(String input, Path workspace, Path home, String what) {
    PathPatterns patterns = new PathPatterns();
    for (String raw : input.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exclude = false;
      int start = 0;
      while (start < line.length() && line.charAt(start) == '!') {
        exclude = !exclude;
        start++;
      }
      String path = line.substring(start);
      if (path.equals("~") || path.startsWith("~/")) {
        path = home + path.substring(1);
      } else if (!path.startsWith("/")) {
        path = workspace + "/" + path;
      }
      if (path.indexOf('\0') >= 0) {
        throw new StepFailure(what + ": the path '" + line + "' holds a NUL character");
      }
      boolean directoriesOnly = path.endsWith("/");
      List<String> segments = new ArrayList<>();
      boolean wildcard = false;
      for (String segment : path.split("/")) {
        if (segment.isEmpty() || segment.equals(".")) {
          continue;
        }
        if (segment.equals("..") && !wildcard) {
          if (!segments.isEmpty()) {
            segments.removeLast();
          }
          continue;
        }
        wildcard |= Glob.hasWildcard(segment);
        segments.add(segment);
      }
      Glob glob = new Glob(List.copyOf(segments), exclude, directoriesOnly);
      Path base = Path.of("/");
      for (String literal : glob.literalPrefix()) {
        base = base.resolve(literal);
      }
      patterns.all.add(glob);
      if (glob.segments().isEmpty() || !glob.segments().getLast().equals("**")) {
        patterns.all.add(glob.withDescendants());
      }
      if (!exclude) {
        patterns.includes.add(new Line(line, glob, base));
      }
    }
    if (patterns.includes.isEmpty()) {
      throw new StepFailure(
          what + ": path names no files; give one or more paths or patterns, one a line");
    }
    return patterns;
  }

  List<Line> includes() {
    return List.copyOf(includes);
  }

  /**
   * Walks from each including line's base and returns what the lines match, each path once (with
   * the first line that found it), in the order found.
   *
   * @param hidden whether names starting with a dot below a base are taken (upload-artifact's
   *     {@code include-hidden-files}; the cache takes them)
   */
  List<Found> find(boolean hidden) {
    Map<Path, Found> found = new LinkedHashMap<>();
    int[] entries = {0};
    for (int i = 0; i < includes.size(); i++) {
      Line line = includes.get(i);
      int index = i;
      if (!Files.exists(line.base(), LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        Files.walkFileTree(
            line.base(),
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                count(entries);
                if (!hidden && !dir.equals(line.base()) && hiddenName(dir)) {
                  return FileVisitResult.SKIP_SUBTREE;
                }
                if (matches(dir, true)) {
                  found.putIfAbsent(dir, new Found(index, line.base(), dir, Kind.DIRECTORY));
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                count(entries);
                if (!hidden && hiddenName(file)) {
                  return FileVisitResult.CONTINUE;
                }
                Kind kind =
                    attributes.isSymbolicLink()
                        ? Kind.LINK
                        : attributes.isRegularFile() ? Kind.FILE : null;
                if (kind != null && matches(file, false)) {
                  found.putIfAbsent(file, new Found(index, line.base(), file, kind));
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException e) {
                throw new StepFailure("cannot read " + file + ": " + e.getMessage());
              }
            });
      } catch (IOException e) {
        throw new StepFailure("cannot walk " + line.base() + ": " + e.getMessage());
      }
    }
    return List.copyOf(found.values());
  }

  private static boolean hiddenName(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  private static void count(int[] entries) {
    if (++entries[0] > MAX_ENTRIES) {
      throw new StepFailure(
          "the path patterns make the runner look at more than "
              + MAX_ENTRIES
              + " files and directories; narrow them");
    }
  }

  /** Whether the lines, read in order, leave the path included. */
  private boolean matches(Path path, boolean directory) {
    List<String> segments = new ArrayList<>();
    for (Path part : path) {
      segments.add(part.toString());
    }
    boolean included = false;
    for (Glob glob : all) {
      if (glob.matches(segments, directory)) {
        included = !glob.exclude();
      }
    }
    return included;
  }
}
