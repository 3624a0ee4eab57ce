package dev.tagflow.render;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Gives SIGTERM and SIGINT back to the JVM after the Helm engine took them.
 *
 * <p>helm-java's native library calls Go's {@code signal.Notify} for SIGINT and SIGTERM on every
 * install or template call, and in a shared library that installs Go's own handler in place of the
 * JVM's: from the first render on, {@code kill <pid>} and Ctrl-C no longer stop the JVM nor run its
 * shutdown hooks. After each call the handlers this object found when it was made are put back (Go
 * installs its handler only once, so it does not take them again). SIGQUIT, which the JVM keeps for
 * itself, cannot be put back from Java: thread dumps with {@code kill -3} stop working after the
 * first render.
 */
final class ShutdownSignals {

  private static final List<String> NAMES = List.of("TERM", "INT");

  private final Map<String, SignalHandler> ours = new HashMap<>();

  /** Takes the handlers in place now (the JVM's, or the program's own) as the ones to keep. */
  ShutdownSignals() {
    for (String name : NAMES) {
      Signal signal = new Signal(name);
      SignalHandler[] found = new SignalHandler[1];
      SignalHandler forwarding = s -> forward(found[0], s);
      try {
        found[0] = Signal.handle(signal, forwarding);
        ours.put(name, forwarding);
      } catch (IllegalArgumentException notAvailable) {
        // The JVM runs with -Xrs, or the signal is not there: nothing to keep.
      }
    }
  }

  /** Puts the kept handlers back in place of whatever the native library installed. */
  void reclaim() {
    ours.forEach(
        (name, handler) -> {
          try {
            Signal.handle(new Signal(name), handler);
          } catch (IllegalArgumentException notAvailable) {
            // As in the constructor.
          }
        });
  }

  private static void forward(SignalHandler original, Signal signal) {
    if (original == SignalHandler.SIG_IGN) {
      return;
    }
    try {
      original.handle(signal);
    } catch (UnsupportedOperationException nativeDefault) {
      // The default action: end the JVM as its own handler would, running the shutdown hooks.
      Runtime.getRuntime().exit(128 + signal.getNumber());
    }
  }
}
