package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.ApplicationLoader;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of Application files ({@code *.yaml}, {@code *.yml}; ours and Argo CD's) as a source
 * of the {@link ApplicationRegistry}: read at start and again whenever a file in it changes.
 *
 * <p>A file that does not load is a problem of that file alone: the applications it held before
 * keep running as they were (an edit half-saved must not delete them), and every other file's
 * applications are untouched. A directory that cannot be listed changes nothing. A file that is
 * deleted removes its applications (the registry's breaker holds a mass removal).
 */
public final class ApplicationFiles implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApplicationFiles.class);

  private final Path directory;
  private final ApplicationRegistry registry;
  private final ApplicationLoader loader;
  private final LastRead lastRead;
  private WatchService watcher;
  private Thread watching;

  public ApplicationFiles(Path directory, ApplicationRegistry registry, ApplicationLoader loader) {
    this.directory = directory.toAbsolutePath().normalize();
    this.registry = registry;
    this.loader = loader;
    this.lastRead = new LastRead(source());
  }

  /** The source's name in the registry: {@code files:<directory>}. */
  public String source() {
    return "files:" + directory;
  }

  /** Reads every file and hands the applications to the registry. */
  public synchronized void load() {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(ApplicationFiles::isApplicationFile).sorted().toList();
    } catch (IOException e) {
      lastRead.keep(
          registry,
          directory.toString(),
          "cannot list the directory ("
              + e.getMessage()
              + "); the applications read before keep running");
      log.warn("cannot list {}: {}", directory, e.getMessage());
      return;
    }
    for (Path file : files) {
      try {
        lastRead.loaded(file.toString(), loader.load(file));
      } catch (TagflowException e) {
        lastRead.failed(file.toString(), file.toString(), e.getMessage());
        log.warn("application file {} does not load: {}", file, e.getMessage());
      }
    }
    lastRead.finish(registry);
  }

  /** Reads the directory again whenever something in it changes, until closed. */
  public synchronized void watch() {
    if (watching != null) {
      return;
    }
    try {
      watcher = directory.getFileSystem().newWatchService();
      directory.register(
          watcher,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      throw TagflowException.failed(
          "cannot watch " + directory + " for changed Application files: " + e.getMessage(), e);
    }
    watching = Thread.ofVirtual().name("application-files").start(this::follow);
  }

  private void follow() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        key.pollEvents();
        key.reset();
        // An editor writes a file in several events; they are read as one change.
        for (Optional<WatchKey> more = poll(); more.isPresent(); more = poll()) {
          more.get().pollEvents();
          more.get().reset();
        }
        load();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private Optional<WatchKey> poll() throws InterruptedException {
    return Optional.ofNullable(watcher.poll(200, TimeUnit.MILLISECONDS));
  }

  private static boolean isApplicationFile(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file)
        && !name.startsWith(".")
        && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        log.debug("closing the watch of {}: {}", directory, e.getMessage());
      }
    }
    if (watching != null) {
      watching.interrupt();
    }
  }
}
