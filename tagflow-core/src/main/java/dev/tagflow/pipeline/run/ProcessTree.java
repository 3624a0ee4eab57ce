package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The processes of one step: its process, started as the leader of a new session and process group
 * ({@code setsid}), every descendant, and every process still in its group (a child that left its
 * parent, {@code cmd &} in a subshell). Killing it kills them all, again until none is left, so
 * nothing a step started outlives a cancel, a timeout or the end of its job.
 */
final class ProcessTree {

  private static final Path PROC = Path.of("/proc");

  /** The variable every step process carries, valued uniquely per step. */
  static final String MARKER = "TAGFLOW_STEP_MARKER";

  /** The variable every step process carries, valued with its run's id. */
  static final String RUN_MARKER = "TAGFLOW_RUN_MARKER";

  private final ProcessHandle root;
  private final boolean ownGroup;
  private final byte[] marker;

  /**
   * @param ownGroup whether the root was started with {@link #setsid()}: its process group is then
   *     its pid, and stays so after it exits, for the children it leaves behind
   */
  ProcessTree(ProcessHandle root, boolean ownGroup, String markerValue) {
    this.root = root;
    this.ownGroup = ownGroup;
    this.marker = (MARKER + "=" + markerValue + "\0").getBytes(StandardCharsets.UTF_8);
  }

  /** The command that starts {@code command} in a new session, when the host has setsid. */
  static Optional<String> setsid() {
    for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "setsid");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    for (String fixed : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
      if (Files.isExecutable(Path.of(fixed))) {
        return Optional.of(fixed);
      }
    }
    return Optional.empty();
  }

  /** Every live process of the tree: the root, its descendants, the rest of its group. */
  Set<ProcessHandle> members() {
    Set<ProcessHandle> members = new HashSet<>();
    if (running(root.pid())) {
      members.add(root);
    }
    root.descendants().filter(p -> running(p.pid())).forEach(members::add);
    OptionalLong group = OptionalLong.of(root.pid());
    // Never the JVM's own group, whatever happened to the root.
    boolean byGroup = ownGroup && !group.equals(group(ProcessHandle.current().pid()));
    long self = ProcessHandle.current().pid();
    try (Stream<Path> entries = Files.list(PROC)) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .mapToLong(Long::parseLong)
          .filter(pid -> pid != self && running(pid))
          .filter(pid -> (byGroup && group(pid).equals(group)) || marked(pid))
          .mapToObj(ProcessHandle::of)
          .flatMap(Optional::stream)
          .forEach(members::add);
    } catch (IOException | RuntimeException e) {
      // /proc unreadable: the descendants are all we can find
    }
    return members;
  }

  /** Kills every member, again until none is left or {@code patience} has passed. */
  boolean kill(Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Set<ProcessHandle> members = members();
      if (members.isEmpty()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      members.forEach(ProcessHandle::destroyForcibly);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return members().isEmpty();
      }
    }
  }

  /** Whether the process's environment holds this step's marker. */
  private boolean marked(long pid) {
    return carries(pid, marker);
  }

  /** Whether the environment of a process holds {@code variable} ({@code NAME=value\0}). */
  static boolean carries(long pid, byte[] variable) {
    try {
      byte[] environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
      return indexOf(environ, variable) >= 0;
    } catch (IOException | RuntimeException e) {
      return false; // gone, or another user's
    }
  }

  /** Whether a process has not exited (a zombie has). */
  static boolean alive(long pid) {
    return running(pid);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (i > 0 && haystack[i - 1] != 0) {
        continue; // a variable starts after a NUL
      }
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The process group of a process, from /proc (field 5 of stat). */
  private static OptionalLong group(long pid) {
    String[] fields = stat(pid);
    return fields.length > 2 ? OptionalLong.of(Long.parseLong(fields[2])) : OptionalLong.empty();
  }

  /** Not a zombie: a zombie has exited and only waits for its parent to read its status. */
  private static boolean running(long pid) {
    String[] fields = stat(pid);
    return fields.length > 2 && !fields[0].equals("Z") && !fields[0].equals("X");
  }

  /** The fields of /proc/pid/stat after the command name: state, ppid, pgrp, …. */
  private static String[] stat(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      int close = stat.lastIndexOf(')');
      return stat.substring(close + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return new String[0];
    }
  }
}
