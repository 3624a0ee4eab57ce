package dev.tagflow.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a branch of a bare repository on this disk moved to each commit, seen from outside the
 * process that moved it: the loose ref file watched with the file system's notifications (inotify
 * on Linux), the time taken as the notification arrives, so it is an upper bound of the push.
 */
final class BranchWatch implements AutoCloseable {

  private final Path heads;
  private final String branch;
  private final WatchService watch;
  private final Map<String, Instant> movedAt = new ConcurrentHashMap<>();
  private final Thread thread;

  BranchWatch(Path bareRepository, String branch) {
    this.heads = bareRepository.resolve("refs/heads");
    this.branch = branch;
    try {
      this.watch = FileSystems.getDefault().newWatchService();
      heads.register(
          watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + heads, e);
    }
    this.thread = Thread.ofPlatform().daemon().name("branch-watch").start(this::watch);
  }

  /** When the branch was first seen at {@code commit}. */
  Optional<Instant> movedTo(String commit) {
    return Optional.ofNullable(movedAt.get(commit));
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watch.take();
        Instant now = Instant.now();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.context() instanceof Path name && name.toString().equals(branch)) {
            try {
              movedAt.putIfAbsent(Files.readString(heads.resolve(branch)).strip(), now);
            } catch (NoSuchFileException e) {
              // moved again between the event and the read; the next event says where
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    watch.close();
    thread.interrupt();
  }
}
