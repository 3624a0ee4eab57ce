package dev.tagflow.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real {@code git} command in a directory, as a user would; for tests of any package. */
public final class LocalGit {

  private final Path dir;

  public LocalGit(Path dir) {
    this.dir = dir;
  }

  /** A bare "origin" at {@code root/origin.git} and a working clone at {@code root/work}. */
  static LocalGit originWithClone(Path root) {
    Path origin = root.resolve("origin.git");
    Path work = root.resolve("work");
    new LocalGit(root).run("init", "-q", "--bare", "-b", "main", origin.toString());
    new LocalGit(root).run("init", "-q", "-b", "main", work.toString());
    LocalGit git = new LocalGit(work);
    git.run("remote", "add", "origin", origin.toString());
    return git;
  }

  Path dir() {
    return dir;
  }

  /** Writes a file (creating directories), stages everything and commits; returns the commit. */
  String commit(String path, String content, String message) {
    write(path, content);
    run("add", "-A");
    run("commit", "-q", "-m", message);
    return run("rev-parse", "HEAD").strip();
  }

  void write(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String run(String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
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
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
