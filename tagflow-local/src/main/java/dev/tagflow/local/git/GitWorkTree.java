package dev.tagflow.local.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Git repository with a work tree, changed with the {@code git} command as a user changes
 * one; Tagflow reads it by its path as a repository URL. The user's and the system's git
 * configuration are not read, so tests do not depend on the machine.
 */
public final class GitWorkTree {

  private final Path directory;

  private GitWorkTree(Path directory) {
    this.directory = directory;
  }

  /** A new repository in {@code directory} (created), on branch {@code main}. */
  public static GitWorkTree init(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GitWorkTree tree = new GitWorkTree(directory);
    tree.git("init", "-q", "-b", "main", ".");
    return tree;
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

  /** Runs git in the work tree and returns what it printed. */
  public String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().put("GIT_AUTHOR_NAME", "Test");
    builder.environment().put("GIT_AUTHOR_EMAIL", "test@tagflow.dev");
    builder.environment().put("GIT_COMMITTER_NAME", "Test");
    builder.environment().put("GIT_COMMITTER_EMAIL", "test@tagflow.dev");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.redirectErrorStream(true);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }
}
