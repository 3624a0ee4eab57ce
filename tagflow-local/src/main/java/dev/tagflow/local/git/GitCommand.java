package dev.tagflow.local.git;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the real {@code git} command, as a user runs it, apart from the machine's and the user's
 * settings: no system or global configuration, no home directory (so no {@code ~/.netrc}, global
 * ignore or attributes file), no prompt for a password, one fixed author, and a time limit.
 *
 * <p>The one way Tagflow's local setup and its tests run git: the demo pushes tags with it, and
 * tests write repositories with it.
 */
public final class GitCommand {

  /** What one git command did: its exit code and what it printed (stdout and stderr together). */
  public record Result(int exitCode, String output) {

    /** Whether git exited with 0. */
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  private static final Duration TIME_LIMIT = Duration.ofSeconds(60);

  /** userinfo of a URL (scheme://user:secret@host): a token a test or the demo pushes with. */
  private static final Pattern USERINFO = Pattern.compile("(://)[^/@\\s]+@");

  /** Runs git in {@code directory} and returns what it printed; fails if git fails. */
  public String run(Path directory, String... args) {
    Result result = tryRun(directory, args);
    if (!result.succeeded()) {
      throw LocalSetupException.failed(
          describe(args)
              + " failed in "
              + directory
              + " (exit "
              + result.exitCode()
              + "): "
              + redact(result.output().strip()));
    }
    return result.output();
  }

  /** Runs git in {@code directory} and returns its exit code and output, whatever they are. */
  public Result tryRun(Path directory, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = builder.environment();
    // Debian's home of system users: git finds no file of anyone there, and warns about none.
    env.put("HOME", "/nonexistent");
    env.remove("XDG_CONFIG_HOME");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_ASKPASS", "/bin/false");
    env.put("GIT_AUTHOR_NAME", "Tagflow");
    env.put("GIT_AUTHOR_EMAIL", "local@tagflow.dev");
    env.put("GIT_COMMITTER_NAME", "Tagflow");
    env.put("GIT_COMMITTER_EMAIL", "local@tagflow.dev");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "cannot run git (" + e.getMessage() + "); install it (Debian: apt-get install git)", e);
    }
    // Read while it runs, so that a git filling the pipe cannot outlast the time limit.
    // On a thread of its own, not the common pool: an in-process Git server (JGit) waits on the
    // common pool too, and with one worker (2 cores) a push to it would wait for itself.
    FutureTask<String> output = new FutureTask<>(() -> readAll(process.getInputStream()));
    Thread.ofVirtual().name("git-output").start(output);
    try {
      if (!process.waitFor(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw LocalSetupException.failed(
            describe(args) + " did not finish in " + TIME_LIMIT.toSeconds() + " s in " + directory);
      }
      return new Result(process.exitValue(), output.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw LocalSetupException.failed("interrupted while running " + describe(args), e);
    } catch (ExecutionException e) {
      throw LocalSetupException.failed(
          "could not read what " + describe(args) + " printed", e.getCause());
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(String... args) {
    return redact("git " + String.join(" ", args));
  }

  private static String redact(String text) {
    return USERINFO.matcher(text).replaceAll("$1***@");
  }
}
