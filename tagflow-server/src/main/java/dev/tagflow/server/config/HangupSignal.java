package dev.tagflow.server.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP, the signal daemons take as "read your configuration again", calling an action instead of
 * ending the process (the JVM's default). A signal has one handler per process: the one this
 * replaced is put back on {@link #close}.
 *
 * <p>A Java program handles a signal only through {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}). It is looked up when installing rather than compiled against, so that a
 * runtime without that module is one more case of "cannot", and the build does not warn about an
 * internal API. Where it is missing, or the signal is taken ({@code java -Xrs}), {@link #install}
 * says so and returns empty; the settings file's changes are still seen by watching it.
 */
public final class HangupSignal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

  private final Method handle;
  private final Object signal;
  private final Object previous;

  private HangupSignal(Method handle, Object signal, Object previous) {
    this.handle = handle;
    this.signal = signal;
    this.previous = previous;
  }

  /** Runs {@code action} on every SIGHUP from now on; empty when signals cannot be handled here. */
  public static Optional<HangupSignal> install(Runnable action) {
    Objects.requireNonNull(action, "action");
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object hup = signalType.getConstructor(String.class).newInstance("HUP");
      Object handler =
          Proxy.newProxyInstance(
              HangupSignal.class.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      action.run();
                      yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "SIGHUP: read the settings again";
                  });
      Method handle = signalType.getMethod("handle", signalType, handlerType);
      Object previous = handle.invoke(null, hup, handler);
      // A signal ignored when the JVM started (nohup does that, and children inherit it) stays
      // ignored: the JVM installs no handler and answers SIG_IGN.
      if (previous == handlerType.getField("SIG_IGN").get(null)) {
        log.warn(
            "SIGHUP is ignored by this process (started under nohup, or by a parent that ignores"
                + " it), so it cannot ask for the settings to be read again; the settings file is"
                + " still read again when it changes");
        return Optional.empty();
      }
      return Optional.of(new HangupSignal(handle, hup, previous));
    } catch (InvocationTargetException refused) {
      // Signal's own refusal: no such signal here (Windows), or the JVM keeps it (-Xrs).
      unavailable(refused.getCause());
    } catch (ReflectiveOperationException | LinkageError | SecurityException missing) {
      unavailable(missing);
    }
    return Optional.empty();
  }

  private static void unavailable(Throwable why) {
    log.warn(
        "SIGHUP cannot be handled here ({}); the settings file is still read again when it"
            + " changes",
        why.toString());
  }

  @Override
  public void close() {
    try {
      handle.invoke(null, signal, previous);
    } catch (ReflectiveOperationException e) {
      log.warn("could not put back the previous SIGHUP handler: {}", e.toString());
    }
  }
}
