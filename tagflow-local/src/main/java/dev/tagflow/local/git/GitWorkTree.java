package dev.tagflow.local.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Git repository with a work tree, changed with the {@code git} command ({@link GitCommand})
 * as a user changes one; Tagflow reads it by its path as a repository URL.
 */
public final class GitWorkTree {

  private final GitCommand git = new GitCommand();
  private final Path directory;

  private GitWorkTree(Path directory) {
    this.directory = directory;
  }

  /** A new repository in {@code directory} (created), on branch {@code main}. */
  public static GitWorkTree init(Path directory) {
    createDirectories(directory);
    GitWorkTree tree = new GitWorkTree(directory);
    tree.git("init", "-q", "-b", "main", ".");
    return tree;
  }

  /** The work tree already in {@code directory} (a clone, say). */
  public static GitWorkTree open(Path directory) {
    return new GitWorkTree(directory);
  }

  /**
   * Creates a bare repository at {@code bare} (on {@code main}) standing for a Git host, and names
   * it this work tree's remote {@code origin}.
   */
  public GitWorkTree withOrigin(Path bare) {
    createDirectories(bare);
    git.run(bare, "init", "-q", "--bare", "-b", "main", ".");
    git("remote", "add", "origin", bare.toString());
    return this;
  }

  /** The work tree's folder. */
  public Path directory() {
    return directory;
  }

  /** The repository's URL for Tagflow: its path. */
  public String url() {
    return directory.toString();
  }

  /** Writes a file of the work tree (folders created); commit to make it part of a revision. */
  public GitWorkTree write(String path, String content) {
    try {
      Path file = directory.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes files from the work tree and the index. */
  public GitWorkTree remove(String... paths) {
    List<String> args = new ArrayList<>(List.of("rm", "-q"));
    args.addAll(List.of(paths));
    git(args.toArray(String[]::new));
    return this;
  }

  /** Commits everything in the work tree on the current branch. */
  public GitWorkTree commit(String message) {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    return this;
  }

  /** Writes one file, commits everything and returns the new commit's id. */
  public String commitFile(String path, String content, String message) {
    return write(path, content).commit(message).head();
  }

  /** The commit id {@code HEAD} points at. */
  public String head() {
    return git("rev-parse", "HEAD").strip();
  }

  /** Runs git in the work tree and returns what it printed; fails if git fails. */
  public String git(String... args) {
    return git.run(directory, args);
  }

  /** Runs git in the work tree and returns its exit code and output, whatever they are. */
  public GitCommand.Result tryGit(String... args) {
    return git.tryRun(directory, args);
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
