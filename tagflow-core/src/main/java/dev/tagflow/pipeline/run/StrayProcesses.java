package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The processes a run's steps left behind when the process that ran them died without cleaning up
 * (SIGKILL, a crash): every process of this user whose environment carries the run's marker ({@link
 * ProcessTree#RUN_MARKER}), whatever its session or parent; found in /proc and killed.
 */
public final class StrayProcesses {

  /** A process killed: its id and command line, for the log. */
  public record Killed(long pid, String command) {}

  private final Path proc;

  public StrayProcesses() {
    this(Path.of("/proc"));
  }

  StrayProcesses(Path proc) {
    this.proc = proc;
  }

  /** The live processes of this user that carry the marker of run {@code runId}. */
  public List<Killed> find(String runId) {
    byte[] marker = (ProcessTree.RUN_MARKER + "=" + runId + "\0").getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    Optional<Object> owner = owner(proc.resolve("self"));
    List<Killed> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(proc)) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
          .mapToLong(Long::parseLong)
          .filter(pid -> pid != self)
          // Only our own: another user's environment is not ours to read, nor its process to kill.
          .filter(pid -> owner.isPresent() && owner.equals(owner(proc.resolve(Long.toString(pid)))))
          .filter(pid -> ProcessTree.alive(pid) && ProcessTree.carries(pid, marker))
          .forEach(pid -> found.add(new Killed(pid, command(pid))));
    } catch (NoSuchFileException noProc) {
      // Not Linux: there is no /proc to find them in, and steps carried no marker anyone reads.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the processes in " + proc, e);
    }
    return found;
  }

  /**
   * Kills every live process carrying the run's marker, again until none is left or {@code
   * patience} has passed.
   *
   * @return the processes killed
   */
  public List<Killed> kill(String runId, Duration patience) {
    List<Killed> killed = new ArrayList<>();
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      List<Killed> left = find(runId);
      if (left.isEmpty() || System.nanoTime() > deadline) {
        return killed;
      }
      List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
      for (Killed process : left) {
        ProcessHandle.of(process.pid())
            .ifPresent(
                handle -> {
                  handle.destroyForcibly();
                  exits.add(handle.onExit());
                });
        if (killed.stream().noneMatch(k -> k.pid() == process.pid())) {
          killed.add(process);
        }
      }
      // Wait for them to be gone, then look again: one may have started another meanwhile.
      try {
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException stillThere) {
        // looked at again above, until the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return killed;
      }
    }
  }

  private static Optional<Object> owner(Path path) {
    try {
      return Optional.ofNullable(Files.getAttribute(path, "unix:uid"));
    } catch (IOException gone) {
      // the process ended while we looked
      return Optional.empty();
    }
  }

  private String command(long pid) {
    try {
      byte[] line = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("cmdline"));
      String text = new String(line, StandardCharsets.UTF_8).replace('\0', ' ').strip();
      return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    } catch (IOException gone) {
      // the process ended while we looked
      return "?";
    }
  }
}
