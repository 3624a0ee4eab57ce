package dev.tagflow.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code git} command in a directory, isolated from the user's configuration. */
public final class GitProcess {

  private final Path home;

  public GitProcess(Path home) {
    this.home = home;
  }

  /** The outcome of one git command. */
  public record Result(int exitCode, String output) {}

  /** Runs git and fails the test if it fails. */
  public String run(Path directory, String... args) {
    Result result = tryRun(directory, args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "git "
              + String.join(" ", args)
              + " failed ("
              + result.exitCode()
              + "):\n"
              + result.output());
    }
    return result.output();
  }

  /** Runs git and returns its exit code and output, whatever they are. */
  public Result tryRun(Path directory, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_ASKPASS", "/bin/false");
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@tagflow.invalid");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@tagflow.invalid");
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("git " + String.join(" ", args) + " did not finish in 60 s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run git: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running git", e);
    }
  }

  /** A new working repository on {@code main} with one commit. */
  public Path workRepository(Path directory) {
    run(directory.getParent(), "init", "-q", "-b", "main", directory.toString());
    run(directory, "commit", "-q", "--allow-empty", "-m", "first");
    return directory;
  }

  /**
   * A bare repository {@code <parent>/app.git} standing for a Git host, and a working repository
   * whose {@code main} is pushed to it.
   *
   * @param bare the bare repository, pushed to with {@code git push <bare>}
   * @param work the working repository
   */
  public record Upstream(Path bare, Path work) {}

  /** Creates an {@link Upstream} under {@code parent}. */
  public Upstream upstream(Path parent) {
    Path bare = parent.resolve("app.git");
    run(parent, "init", "-q", "--bare", "-b", "main", bare.toString());
    Path work = workRepository(parent.resolve("work"));
    run(work, "push", "-q", bare.toString(), "main");
    return new Upstream(bare, work);
  }
}
