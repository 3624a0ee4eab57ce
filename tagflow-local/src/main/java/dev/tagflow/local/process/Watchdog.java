package dev.tagflow.local.process;

import java.nio.file.Path;
import java.util.List;

/**
 * A shell that waits for this JVM to end, however it ends (SIGKILL, SIGTERM, a crash), and then
 * stops the named programs: a test or bench run killed at any moment leaves nothing running.
 *
 * <p>It reads the programs' pid files in {@code stateDir/pids} only once the JVM has ended, not
 * when it starts, so it can be started before the first program (a JVM killed halfway through a
 * cluster's start leaves nothing behind), it covers a program started again with a new pid, and it
 * leaves alone a program that was stopped in order (whose pid file is gone, its pid perhaps given
 * to another process since). Whoever stops the programs in order stops the watchdog last: a JVM
 * killed while it stops them still has its watchdog finish the job.
 */
public final class Watchdog {

  private Watchdog() {}

  /**
   * Starts the watchdog as a component of its own (so stopping everything in {@code stateDir} stops
   * it too).
   *
   * @param name its name in {@code stateDir}'s pid files, distinct per watched group
   * @param programs the names of the programs it stops, as in their pid files ({@link
   *     ComponentProcess#name()})
   */
  public static ComponentProcess watch(String name, Path stateDir, List<String> programs) {
    for (String program : programs) {
      if (!program.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("not a program name a watchdog can use: " + program);
      }
    }
    long owner = ProcessHandle.current().pid();
    String pids = quoted(stateDir.resolve("pids").toString());
    // The owner is gone when /proc has no such pid, or when it is a zombie its parent has not
    // reaped yet (kill -0 would still succeed for it). Only shell built-ins in the loop, but sleep.
    String script =
        "alive() { read -r s 2>/dev/null < /proc/"
            + owner
            + "/stat || return 1; s=${s##*) }; [ \"${s%% *}\" != Z ]; }\n"
            + "pids() { for n in "
            + String.join(" ", programs)
            + "; do f="
            + pids
            + "/$n.pid; [ -f \"$f\" ] && read -r p < \"$f\" && printf ' %s' \"$p\"; done; }\n"
            + "while alive; do sleep 1; done\n"
            + "p=$(pids); [ -n \"$p\" ] && kill -TERM $p 2>/dev/null\n"
            + "sleep 5\n"
            + "p=$(pids); [ -n \"$p\" ] && kill -KILL $p 2>/dev/null\n"
            + "exit 0\n";
    return ComponentProcess.launch(name, List.of("/bin/sh", "-c", script), stateDir);
  }

  /**
   * Whether {@code process} is a watchdog (by the names Tagflow gives them), to be stopped last.
   */
  public static boolean isWatchdog(ComponentProcess process) {
    return process.name().contains("watchdog");
  }

  private static String quoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
