package dev.tagflow.local.process;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One program of a local cluster, running in a session (and so a process group) of its own, with a
 * pid file that lets a later run find and stop it even when the JVM that started it was killed.
 *
 * @param name the component's name, e.g. {@code kube-apiserver}
 * @param pid its process id, which is also its process-group id
 * @param executable the program file
 * @param startedAt when the process started, in epoch milliseconds (0 when unknown): checked before
 *     stopping a pid, so that a pid the system has since given to another process is left alone
 * @param log where its output goes
 */
public record ComponentProcess(String name, long pid, Path executable, long startedAt, Path log) {

  private static final Duration GRACE = Duration.ofSeconds(10);

  /** Starts {@code command} with {@code setsid}, output appended to {@code logs/<name>.log}. */
  public static ComponentProcess launch(String name, List<String> command, Path stateDir) {
    Path logs = stateDir.resolve("logs");
    Path pids = stateDir.resolve("pids");
    Path log = logs.resolve(name + ".log");
    List<String> full = new ArrayList<>();
    // A session of its own: Ctrl-C on the terminal that ran `tagflow cluster up` does not reach it.
    full.add("setsid");
    full.addAll(command);
    try {
      Files.createDirectories(logs);
      Files.createDirectories(pids);
      Process process =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      long startedAt =
          process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
      ComponentProcess component =
          new ComponentProcess(name, process.pid(), Path.of(command.getFirst()), startedAt, log);
      Files.writeString(
          pids.resolve(name + ".pid"),
          component.pid + "\n" + component.executable + "\n" + startedAt + "\n",
          StandardCharsets.UTF_8);
      return component;
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "could not start " + name + " (" + command.getFirst() + "): " + e.getMessage(), e);
    }
  }

  /** The components whose pid files are in {@code stateDir}, alive or not. */
  public static List<ComponentProcess> fromPidFiles(Path stateDir) {
    Path pids = stateDir.resolve("pids");
    List<ComponentProcess> found = new ArrayList<>();
    if (!Files.isDirectory(pids)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(pids, "*.pid")) {
      for (Path file : files) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 3
            || !lines.get(0).strip().matches("\\d+")
            || !lines.get(2).strip().matches("\\d+")) {
          continue;
        }
        String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
        found.add(
            new ComponentProcess(
                name,
                Long.parseLong(lines.get(0).strip()),
                Path.of(lines.get(1).strip()),
                Long.parseLong(lines.get(2).strip()),
                stateDir.resolve("logs").resolve(name + ".log")));
      }
    } catch (IOException e) {
      throw LocalSetupException.failed("could not read the pid files in " + pids, e);
    }
    return found;
  }

  /** The running process, if this pid is still our program (and not a reused pid). */
  public Optional<ProcessHandle> handle() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                startedAt == 0
                    || h.info()
                        .startInstant()
                        .map(start -> start.toEpochMilli() == startedAt)
                        .orElse(true));
  }

  public boolean isAlive() {
    return handle().isPresent();
  }

  /**
   * Asks the program to stop (SIGTERM), and kills it (SIGKILL) if it has not after a grace time.
   */
  public void stop() {
    handle()
        .ifPresent(
            process -> {
              CompletableFuture<ProcessHandle> exited = process.onExit();
              process.descendants().forEach(ProcessHandle::destroy);
              process.destroy();
              try {
                exited.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (TimeoutException e) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                exited.join();
              } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
              } catch (ExecutionException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  public void forgetPidFile(Path stateDir) {
    try {
      Files.deleteIfExists(stateDir.resolve("pids").resolve(name + ".pid"));
    } catch (IOException e) {
      throw LocalSetupException.failed("could not remove the pid file of " + name, e);
    }
  }

  /** The last lines of this component's log, for an error message. */
  public String logTail() {
    return LogTail.of(log);
  }
}
