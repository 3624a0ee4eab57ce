package dev.tagflow.local.process;

import java.nio.file.Path;
import java.util.List;

/**
 * A shell that waits for this JVM to end, however it ends, and then stops the given programs: a
 * test run killed with SIGKILL leaves nothing running.
 */
public final class Watchdog {

  private Watchdog() {}

  /**
   * Starts the watchdog as a component of its own (so stopping everything in {@code stateDir} stops
   * it too).
   *
   * @param name its name in {@code stateDir}'s pid files, distinct per watched group
   */
  public static ComponentProcess watch(
      String name, Path stateDir, List<ComponentProcess> programs) {
    long owner = ProcessHandle.current().pid();
    StringBuilder pids = new StringBuilder();
    programs.forEach(p -> pids.append(' ').append(p.pid()));
    String script =
        "while kill -0 "
            + owner
            + " 2>/dev/null; do sleep 1; done; kill -TERM"
            + pids
            + " 2>/dev/null; sleep 5; kill -KILL"
            + pids
            + " 2>/dev/null; exit 0";
    return ComponentProcess.launch(name, List.of("/bin/sh", "-c", script), stateDir);
  }
}
