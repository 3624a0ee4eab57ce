package dev.tagflow.server.config;

import dev.tagflow.server.config.SettingsRead.Loaded;
import dev.tagflow.server.config.SettingsRead.Refused;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running settings equal to the settings file: reads it again when it changes or when
 * asked ({@link #reload}, which SIGHUP calls), and hands each valid new version to the listeners. A
 * file with mistakes changes nothing: the running settings stay, the problems are logged on one
 * line and shown in {@link #status()} until the file is valid again.
 *
 * <p>The file's folder is watched, not the file: editors save by writing a new file and renaming it
 * over the old one, and Kubernetes updates a mounted ConfigMap by swapping a {@code ..data}
 * symlink, neither of which a watch on the old file would see. Events for other files of the folder
 * are ignored. A file that is a symlink into another folder is not followed there: send SIGHUP
 * after changing it. Bursts of events (an editor's save, a {@code git pull}) are read once, after a
 * short quiet time, on one thread, so reloads never overlap.
 */
public final class SettingsWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SettingsWatcher.class);

  /**
   * Long enough for an editor's write-rename-chmod to be one reload, short enough to feel prompt.
   */
  public static final Duration DEFAULT_QUIET_TIME = Duration.ofMillis(300);

  private static final String STARTED = "started watching";

  /** The settings in use and what is known about the file. */
  private record State(
      ServerSettings settings,
      Instant loadedAt,
      long generation,
      Optional<String> error,
      List<String> restartNeeded) {}

  private final Path file;
  private final ServerSettingsReader reader;
  private final ServerSettings startup;
  private final Set<String> pinned;
  private final List<SettingsListener> listeners;
  private final Clock clock;
  private final Duration quietTime;
  private final ScheduledExecutorService reloads =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tagflow-settings").daemon().factory());
  private final Object lock = new Object();
  private final Set<String> reasons = new LinkedHashSet<>(); // guarded by lock
  private ScheduledFuture<?> pending; // guarded by lock
  private volatile State state;
  private volatile WatchService watchService;

  /**
   * @param file the settings file, as the user named it
   * @param initial the settings the server started with, read from {@code file}
   * @param pinned keys the command line set, whose changes in the file never need a restart since
   *     the command line wins anyway
   * @param listeners told of every change, in this order
   * @param quietTime how long after the last event of a burst the file is read
   */
  public SettingsWatcher(
      Path file,
      ServerSettingsReader reader,
      ServerSettings initial,
      Set<String> pinned,
      List<SettingsListener> listeners,
      Clock clock,
      Duration quietTime) {
    this.file = Objects.requireNonNull(file, "file");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.startup = Objects.requireNonNull(initial, "initial");
    this.pinned = Set.copyOf(pinned);
    this.listeners = List.copyOf(listeners);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.quietTime = Objects.requireNonNull(quietTime, "quietTime");
    this.state = new State(initial, clock.instant(), 1, Optional.empty(), List.of());
  }

  /** The settings in use. */
  public ServerSettings current() {
    return state.settings();
  }

  public SettingsStatus status() {
    State now = state;
    return new SettingsStatus(
        file, now.loadedAt(), now.generation(), now.error(), now.restartNeeded());
  }

  /**
   * Starts watching the file's folder, and reads the file once more before returning. Where the
   * folder cannot be watched (a file system without change events, the system's limit of watches
   * reached) this is logged, and SIGHUP still works.
   */
  public SettingsWatcher start() {
    Path folder = file.toAbsolutePath().getParent();
    try {
      WatchService service = folder.getFileSystem().newWatchService();
      folder.register(
          service,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      watchService = service;
      Thread.ofPlatform()
          .name("tagflow-settings-watch")
          .daemon()
          .start(() -> watch(service, file.getFileName().toString()));
    } catch (IOException | UnsupportedOperationException e) {
      log.warn(
          "cannot watch {} for changes ({}); send SIGHUP to the server to read it again",
          folder,
          e.getMessage());
    }
    // A change between the first read and the watch's start would be missed: look once more, and
    // before returning, so that whatever changes from now on is a change the watch sees.
    synchronized (lock) {
      reasons.add(STARTED);
    }
    try {
      reloads.submit(this::reloadNow).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading " + file + " again failed", e.getCause());
    }
    return this;
  }

  /**
   * Reads the file again after the quiet time; requests within it are read once.
   *
   * @param reason why, for the log line: {@code SIGHUP}, {@code tagflow.yaml changed}
   */
  public void reload(String reason) {
    synchronized (lock) {
      reasons.add(reason);
      if (pending != null) {
        pending.cancel(false);
      }
      if (!reloads.isShutdown()) {
        pending = reloads.schedule(this::reloadNow, quietTime.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void watch(WatchService service, String name) {
    while (true) {
      WatchKey key;
      try {
        key = service.take();
      } catch (ClosedWatchServiceException | InterruptedException closed) {
        return;
      }
      boolean ours = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        // Lost events may have been ours; a ConfigMap's update swaps "..data" and friends.
        ours |=
            event.kind() == StandardWatchEventKinds.OVERFLOW
                || event.context() instanceof Path changed
                    && (changed.toString().equals(name) || changed.toString().startsWith(".."));
      }
      if (ours) {
        reload(name + " changed");
      }
      if (!key.reset()) {
        log.warn(
            "the folder of {} can no longer be watched (was it removed?); send SIGHUP to the"
                + " server to read the file again",
            file);
        return;
      }
    }
  }

  private void reloadNow() {
    String reason;
    synchronized (lock) {
      // Empty when a reload already under way took this one's reason: it is read once more.
      reason = reasons.isEmpty() ? "again" : String.join(", ", reasons);
      reasons.clear();
      pending = null;
    }
    SettingsRead read;
    try {
      read = reader.read(file);
    } catch (RuntimeException bug) {
      // The reader turns every mistake into a Refused; anything else is a bug, and a scheduled
      // task's exception would vanish unseen, so it is logged and shown like a refusal.
      log.error("reading {} failed unexpectedly", file, bug);
      read = new Refused("reading " + file + " failed unexpectedly: " + bug, List.of());
    }
    switch (read) {
      case Refused refused -> refuse(refused, reason);
      case Loaded loaded -> apply(loaded.settings(), reason);
    }
  }

  private void refuse(Refused refused, String reason) {
    State before = state;
    if (!before.error().equals(Optional.of(refused.message()))) {
      log.error(
          "{} ({}): {}; the running settings (generation {}) stay until it is fixed",
          file,
          reason,
          refused.oneLine(),
          before.generation());
    }
    state =
        new State(
            before.settings(),
            before.loadedAt(),
            before.generation(),
            Optional.of(refused.message()),
            before.restartNeeded());
  }

  private void apply(ServerSettings read, String reason) {
    State before = state;
    List<String> restartNeeded =
        read.restartNeededFrom(startup).stream().filter(key -> !pinned.contains(key)).toList();
    if (!restartNeeded.isEmpty() && !restartNeeded.equals(before.restartNeeded())) {
      log.warn(
          "{}: {} changed, which takes effect when the server is restarted; until then the"
              + " server runs as it started",
          file,
          String.join(", ", restartNeeded));
    }
    ServerSettings next = read.applicableTo(before.settings());
    if (next.equals(before.settings())) {
      if (before.error().isPresent()) {
        log.info(
            "{} is valid again; the running settings (generation {}) are its own",
            file,
            before.generation());
      } else if (!reason.equals(STARTED)) {
        // Said even when nothing changed: whoever sent SIGHUP wants to know it was heard.
        log.info(
            "{} read again ({}): no change, generation {} runs", file, reason, before.generation());
      }
      state =
          new State(
              before.settings(),
              before.loadedAt(),
              before.generation(),
              Optional.empty(),
              restartNeeded);
      return;
    }
    SettingsChange change = new SettingsChange(before.settings(), next);
    long generation = before.generation() + 1;
    // In use before the listeners hear of it: a repository they start polling has credentials.
    state = new State(next, clock.instant(), generation, Optional.empty(), restartNeeded);
    log.info("{} read again ({}): generation {}: {}", file, reason, generation, change.summary());
    List<String> failures = new ArrayList<>();
    for (SettingsListener listener : listeners) {
      try {
        listener.settingsChanged(change);
      } catch (RuntimeException e) {
        // Designed: one part failing to follow must not keep the others on the old settings,
        // and the failure is shown in status, not swallowed.
        log.error("applying generation {} of {} failed", generation, file, e);
        failures.add(String.valueOf(e.getMessage()));
      }
    }
    if (!failures.isEmpty()) {
      State applied = state;
      state =
          new State(
              applied.settings(),
              applied.loadedAt(),
              applied.generation(),
              Optional.of(
                  "generation "
                      + generation
                      + " of "
                      + file
                      + " was read but not all of it could be applied: "
                      + String.join("; ", failures)),
              applied.restartNeeded());
    }
  }

  @Override
  public void close() {
    WatchService service = watchService;
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        log.debug("closing the watch of {}: {}", file, e.getMessage());
      }
    }
    reloads.shutdownNow();
    try {
      reloads.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
