package dev.tagflow.pipeline.expression;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code hashFiles('**}{@code /pom.xml', '!target/**')}: the SHA-256 of the SHA-256 of every file
 * the patterns match in the workspace, as GitHub computes it, or {@code ''} when nothing matches.
 *
 * <p>Patterns are read as {@code @actions/glob} reads them (see {@link Glob}); an argument may hold
 * several, one a line, with {@code #} comments. A later pattern overrides an earlier one for the
 * paths both match, so {@code '**', '!docs/**'} is everything but docs. A pattern that matches a
 * directory matches the files in it. Files are hashed in the order of their paths (GitHub's is the
 * order its walk finds them, which is the same on a sorted directory listing). Symbolic links to
 * directories are walked only after {@code '--follow-symbolic-links'} as the first argument, as in
 * GitHub; a file whose real path is outside the workspace is refused, never read.
 */
final class HashFiles {

  private static final String FOLLOW = "--follow-symbolic-links";

  private HashFiles() {}

  static String hash(Path workspace, List<String> arguments, ExpressionLimits limits, int offset) {
    Path root;
    try {
      root = workspace.toRealPath();
    } catch (IOException e) {
      throw ExpressionException.at(
          offset, "hashFiles: the workspace " + workspace + " is not there");
    }
    boolean follow = !arguments.isEmpty() && arguments.getFirst().equals(FOLLOW);
    List<Glob> globs = new ArrayList<>();
    for (String argument : follow ? arguments.subList(1, arguments.size()) : arguments) {
      for (String line : argument.split("\n", -1)) {
        String pattern = Text.trim(line);
        if (!pattern.isEmpty() && !pattern.startsWith("#")) {
          Glob glob = parse(pattern, root, offset);
          globs.add(glob);
          if (glob.segments().isEmpty() || !glob.segments().getLast().equals("**")) {
            globs.add(glob.withDescendants());
          }
        }
      }
    }
    TreeMap<String, Path> files = new TreeMap<>();
    Walk walk = new Walk(root, globs, files, limits, offset);
    for (Glob glob : globs) {
      if (!glob.exclude()) {
        walk.from(root.resolve(String.join("/", glob.literalPrefix())), follow);
      }
    }
    if (files.isEmpty()) {
      return "";
    }
    MessageDigest all = sha256();
    for (Path file : files.values()) {
      all.update(hashOf(file, root, offset));
    }
    return HexFormat.of().formatHex(all.digest());
  }

  /** A pattern relative to the workspace; one that leaves it is refused. */
  private static Glob parse(String pattern, Path root, int offset) {
    boolean exclude = false;
    int start = 0;
    while (start < pattern.length() && pattern.charAt(start) == '!') {
      exclude = !exclude;
      start++;
    }
    String path = pattern.substring(start);
    if (path.startsWith("~")) {
      throw outside(pattern, offset);
    }
    if (path.startsWith("/")) {
      String prefix = root.toString();
      if (path.equals(prefix)) {
        path = "";
      } else if (path.startsWith(prefix + "/")) {
        path = path.substring(prefix.length() + 1);
      } else {
        throw outside(pattern, offset);
      }
    }
    boolean directoriesOnly = path.endsWith("/");
    List<String> segments = new ArrayList<>();
    boolean wildcardSeen = false;
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty() || wildcardSeen) {
          throw outside(pattern, offset);
        }
        segments.removeLast();
        continue;
      }
      wildcardSeen |= Glob.hasWildcard(segment);
      segments.add(segment);
    }
    return new Glob(List.copyOf(segments), exclude, directoriesOnly);
  }

  private static ExpressionException outside(String pattern, int offset) {
    return ExpressionException.at(
        offset,
        "hashFiles: the pattern '"
            + pattern
            + "' reaches outside the workspace; patterns are relative to it and stay in it");
  }

  /** The walk of the workspace below each pattern's literal prefix, collecting what matches. */
  private static final class Walk {
    private final Path root;
    private final List<Glob> globs;
    private final TreeMap<String, Path> files;
    private final ExpressionLimits limits;
    private final int offset;
    private long entries;

    Walk(
        Path root,
        List<Glob> globs,
        TreeMap<String, Path> files,
        ExpressionLimits limits,
        int offset) {
      this.root = root;
      this.globs = globs;
      this.files = files;
      this.limits = limits;
      this.offset = offset;
    }

    void from(Path start, boolean follow) {
      if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      if (follow || !Files.isSymbolicLink(start)) {
        inside(start); // a link reached through the prefix's own directories is refused
      }
      Set<FileVisitOption> options =
          follow ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
      try {
        Files.walkFileTree(
            start,
            options,
            Integer.MAX_VALUE,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                count();
                if (follow) {
                  inside(dir);
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                count();
                if (attributes.isDirectory()) {
                  return FileVisitResult.CONTINUE; // a directory link not followed: GitHub skips it
                }
                if (attributes.isSymbolicLink() && Files.isDirectory(file)) {
                  return FileVisitResult.CONTINUE;
                }
                if (attributes.isOther()) {
                  return FileVisitResult.CONTINUE;
                }
                consider(file);
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (e instanceof FileSystemLoopException || e instanceof NoSuchFileException) {
                  return FileVisitResult.CONTINUE; // a link cycle, or a dangling link
                }
                throw ExpressionException.at(
                    offset, "hashFiles: cannot read " + relative(file) + ": " + e.getMessage());
              }
            });
      } catch (IOException e) {
        throw ExpressionException.at(
            offset, "hashFiles: cannot walk " + relative(start) + ": " + e.getMessage());
      }
    }

    /** Refuses a walk that a link takes out of the workspace. */
    private void inside(Path path) {
      Path real;
      try {
        real = path.toRealPath();
      } catch (IOException e) {
        return; // a dangling link: nothing to read there
      }
      if (!real.startsWith(root)) {
        throw ExpressionException.at(
            offset,
            "hashFiles: "
                + relative(path)
                + " links to a place outside the workspace; hashFiles reads only the workspace");
      }
    }

    private void count() {
      if (++entries > 10L * limits.maxHashedFiles()) {
        throw ExpressionException.at(
            offset,
            "hashFiles: the patterns make it look at more than "
                + 10L * limits.maxHashedFiles()
                + " files and directories; narrow them");
      }
    }

    private void consider(Path file) {
      String key = relative(file);
      if (files.containsKey(key)) {
        return;
      }
      List<String> path = List.of(key.split("/"));
      boolean included = false;
      for (Glob glob : globs) {
        if (glob.matches(path, false)) {
          included = !glob.exclude();
        }
      }
      if (included) {
        files.put(key, file);
        if (files.size() > limits.maxHashedFiles()) {
          throw ExpressionException.at(
              offset,
              "hashFiles: the patterns match more than "
                  + limits.maxHashedFiles()
                  + " files; narrow them");
        }
      }
    }

    private String relative(Path path) {
      return root.relativize(path.toAbsolutePath().normalize()).toString();
    }
  }

  private static byte[] hashOf(Path file, Path root, int offset) {
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw ExpressionException.at(
          offset, "hashFiles: cannot read " + root.relativize(file) + ": " + e.getMessage());
    }
    if (!real.startsWith(root)) {
      throw ExpressionException.at(
          offset,
          "hashFiles: "
              + root.relativize(file)
              + " is a link to a file outside the workspace; hashFiles reads only the workspace");
    }
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(real)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw ExpressionException.at(
          offset, "hashFiles: cannot read " + root.relativize(file) + ": " + e.getMessage());
    }
    return digest.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
