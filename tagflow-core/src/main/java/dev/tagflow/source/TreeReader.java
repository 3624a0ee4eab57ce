package dev.tagflow.source;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads the files under one directory of a commit straight from the object database, without a
 * checkout. Only the trees on the way to what is asked are read, so reading one file of a
 * repository of 10,000 files opens a handful of objects.
 *
 * <p>Everything asked for must stay under the directory: paths with {@code ..} or a leading {@code
 * /} are refused, and so are symbolic links whose target leads outside it, because a manifest could
 * otherwise pull in any file of the repository (or, after a checkout, of the machine). Links that
 * stay inside are followed.
 *
 * <p>Thread-safe: each call opens its own object reader, and the commit never changes.
 */
public final class TreeReader {

  private static final int MAX_LINK_HOPS = 40;

  private final Repository repository;
  private final String name;
  private final ObjectId rootTree;
  private final List<String> base;

  /**
   * @param repository where the objects are
   * @param name how to call the repository in error messages
   * @param commit the commit to read
   * @param path the directory everything read must stay under; {@code ""} or {@code .} for all
   */
  public TreeReader(Repository repository, String name, String commit, String path) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.name = Objects.requireNonNull(name, "name");
    try (RevWalk walk = new RevWalk(repository)) {
      this.rootTree = walk.parseCommit(ObjectId.fromString(commit)).getTree().getId();
    } catch (IOException | IllegalArgumentException e) {
      throw TagflowException.failed("cannot read commit " + commit + " of " + name, e);
    }
    List<String> requested = components(path, "path");
    try (ObjectReader reader = repository.newObjectReader()) {
      // The directory itself may be reached through links, as long as they stay in the repository.
      Found found = resolve(reader, requested, List.of(), path);
      if (found.mode() != FileMode.TREE) {
        throw TagflowException.invalidInput(
            "'" + path + "' in " + name + " at " + shortId(commit) + " is not a directory");
      }
      this.base = found.path();
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + path + " in " + name, e);
    }
  }

  /** The directory read, as a path from the repository's root ({@code ""} for the root). */
  public String path() {
    return String.join("/", base);
  }

  /**
   * The id of the directory's tree: it changes exactly when something under the directory does, so
   * caches of what was made from it can key on it.
   */
  public String treeId() {
    return treeId("");
  }

  /** The tree id of a subdirectory (relative to this directory). */
  public String treeId(String relative) {
    Found found = find(relative);
    if (found.mode() != FileMode.TREE) {
      throw TagflowException.invalidInput(describe(relative) + " is not a directory");
    }
    return found.id().name();
  }

  /** Whether a file or directory exists at the relative path (links followed). */
  public boolean exists(String relative) {
    try {
      find(relative);
      return true;
    } catch (NotFound e) {
      return false;
    }
  }

  /**
   * Every file under the directory, recursively, sorted by path.
   *
   * @throws TagflowException (INVALID_INPUT) when a symbolic link leads outside the directory
   */
  public List<TreeEntry> list() {
    return list("");
  }

  /**
   * Every file under a subdirectory (relative to this directory), recursively, sorted by path; the
   * paths are relative to this directory, so they can be read as they are. Only that subdirectory
   * is walked, however large the rest of the tree.
   *
   * @throws TagflowException (INVALID_INPUT) when the subdirectory does not exist, or a symbolic
   *     link leads outside this directory
   */
  public List<TreeEntry> list(String relative) {
    List<String> start = concat(base, components(relative, "path"));
    String prefix = String.join("/", components(relative, "path"));
    try (ObjectReader reader = repository.newObjectReader();
        TreeWalk walk = new TreeWalk(repository, reader)) {
      Found directory = resolve(reader, start, base, relative);
      if (directory.mode() != FileMode.TREE) {
        throw TagflowException.invalidInput(describe(relative) + " is not a directory");
      }
      walk.addTree(directory.id());
      walk.setRecursive(true);
      List<TreeEntry> entries = new ArrayList<>();
      while (walk.next()) {
        FileMode mode = walk.getFileMode(0);
        String path = prefix.isEmpty() ? walk.getPathString() : prefix + "/" + walk.getPathString();
        TreeEntry.Kind kind = kindOf(mode);
        if (kind == TreeEntry.Kind.SYMLINK) {
          // Fails when the link leads out; a link to nothing inside is left to whoever reads it.
          try {
            resolve(reader, concat(base, components(path, "path")), base, path);
          } catch (NotFound dangling) {
            // Kept in the list: a dangling link inside the directory is not a security matter.
          }
        }
        entries.add(new TreeEntry(path, kind, walk.getObjectId(0).name()));
      }
      return entries;
    } catch (IOException e) {
      throw TagflowException.failed("cannot list " + describe(relative), e);
    }
  }

  /** The content of a file (relative to this directory), following links that stay inside. */
  public byte[] read(String relative) {
    Found found = find(relative);
    if (found.mode() == FileMode.TREE) {
      throw TagflowException.invalidInput(describe(relative) + " is a directory, not a file");
    }
    if (found.mode() == FileMode.GITLINK) {
      throw TagflowException.invalidInput(describe(relative) + " is a submodule, not a file");
    }
    try (ObjectReader reader = repository.newObjectReader()) {
      return reader.open(found.id()).getBytes();
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + describe(relative), e);
    }
  }

  /**
   * The size in bytes of a file (relative to this directory), from the object database's header of
   * it: cheap for any size, so a file can be refused before it is read.
   */
  public long size(String relative) {
    Found found = find(relative);
    if (found.mode() == FileMode.TREE || found.mode() == FileMode.GITLINK) {
      throw TagflowException.invalidInput(describe(relative) + " is not a file");
    }
    try (ObjectReader reader = repository.newObjectReader()) {
      return reader.getObjectSize(found.id(), Constants.OBJ_BLOB);
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + describe(relative), e);
    }
  }

  /** The content of a text file, as UTF-8. */
  public String readString(String relative) {
    return new String(read(relative), StandardCharsets.UTF_8);
  }

  private Found find(String relative) {
    List<String> path = concat(base, components(relative, "path"));
    try (ObjectReader reader = repository.newObjectReader()) {
      return resolve(reader, path, base, relative);
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + describe(relative), e);
    }
  }

  /**
   * Walks from the root tree to a path one name at a time, following symbolic links, and checks
   * that every link's destination stays under {@code within}.
   */
  private Found resolve(ObjectReader reader, List<String> path, List<String> within, String asked)
      throws IOException {
    List<String> remaining = new ArrayList<>(path);
    for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      ObjectId tree = rootTree;
      FileMode mode = FileMode.TREE;
      List<String> done = new ArrayList<>();
      boolean restarted = false;
      for (int i = 0; i < remaining.size(); i++) {
        String part = remaining.get(i);
        if (mode != FileMode.TREE) {
          throw new NotFound(describeRoot(done) + " is not a directory");
        }
        try (TreeWalk walk = TreeWalk.forPath(reader, part, tree)) {
          if (walk == null) {
            throw new NotFound(
                describe(asked)
                    + " does not exist (no '"
                    + part
                    + "' in "
                    + describeRoot(done)
                    + ")");
          }
          mode = walk.getFileMode(0);
          tree = walk.getObjectId(0);
        }
        if (mode == FileMode.SYMLINK) {
          String target = new String(reader.open(tree).getBytes(), StandardCharsets.UTF_8);
          List<String> rest = remaining.subList(i + 1, remaining.size());
          remaining = followLink(done, part, target, rest, within, asked);
          restarted = true;
          break;
        }
        done.add(part);
      }
      if (!restarted) {
        return new Found(List.copyOf(done), mode, tree);
      }
    }
    throw TagflowException.invalidInput(
        describe(asked) + " goes through more than " + MAX_LINK_HOPS + " symbolic links (a loop?)");
  }

  private List<String> followLink(
      List<String> parent,
      String link,
      String target,
      List<String> rest,
      List<String> within,
      String asked) {
    String linkPath = String.join("/", concat(parent, List.of(link)));
    if (target.startsWith("/")) {
      throw escape(linkPath, target, within, asked);
    }
    List<String> resolved = new ArrayList<>(parent);
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (resolved.isEmpty()) {
          throw escape(linkPath, target, within, asked);
        }
        resolved.removeLast();
      } else {
        resolved.add(part);
      }
    }
    if (!startsWith(resolved, within)) {
      throw escape(linkPath, target, within, asked);
    }
    resolved.addAll(rest);
    return resolved;
  }

  private TagflowException escape(
      String linkPath, String target, List<String> within, String asked) {
    return TagflowException.invalidInput(
        "symbolic link "
            + linkPath
            + " -> "
            + target
            + " in "
            + name
            + " leads outside "
            + (within.isEmpty() ? "the repository" : String.join("/", within) + "/")
            + (asked.isEmpty() ? "" : " (reading " + asked + ")")
            + "; Tagflow reads only files under the application's path");
  }

  /**
   * Splits a relative path into names, refusing what could step outside: {@code ..}, a leading
   * {@code /}, backslashes (a Windows separator on someone's machine) and NUL.
   */
  static List<String> components(String path, String what) {
    if (path == null || path.isEmpty() || path.equals(".")) {
      return List.of();
    }
    if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
      throw TagflowException.invalidInput(
          "the " + what + " '" + path + "' is absolute; give it relative to the repository's root");
    }
    if (path.contains("\\") || path.indexOf('\0') >= 0) {
      throw TagflowException.invalidInput(
          "the " + what + " '" + path + "' contains a backslash or NUL; use / between names");
    }
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw TagflowException.invalidInput(
            "the " + what + " '" + path + "' contains '..'; Tagflow reads only under the path");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static TreeEntry.Kind kindOf(FileMode mode) {
    if (mode == FileMode.EXECUTABLE_FILE) {
      return TreeEntry.Kind.EXECUTABLE;
    }
    if (mode == FileMode.SYMLINK) {
      return TreeEntry.Kind.SYMLINK;
    }
    if (mode == FileMode.GITLINK) {
      return TreeEntry.Kind.SUBMODULE;
    }
    return TreeEntry.Kind.FILE;
  }

  private static boolean startsWith(List<String> path, List<String> prefix) {
    return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private String describe(String relative) {
    String full = base == null ? "" : String.join("/", base);
    String shown = full.isEmpty() || relative.isEmpty() ? full + relative : full + "/" + relative;
    return "'" + (shown.isEmpty() ? "/" : shown) + "' in " + name;
  }

  private String describeRoot(List<String> done) {
    return done.isEmpty() ? "the root of " + name : "'" + String.join("/", done) + "'";
  }

  private static String shortId(String commit) {
    return commit.substring(0, Math.min(12, commit.length()));
  }

  private record Found(List<String> path, FileMode mode, ObjectId id) {}

  /** A path that does not exist: a user error, and a case {@link #exists} answers. */
  private static final class NotFound extends TagflowException {
    NotFound(String message) {
      super(Reason.INVALID_INPUT, message);
    }
  }
}
