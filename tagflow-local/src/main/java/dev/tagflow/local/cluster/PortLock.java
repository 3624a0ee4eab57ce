package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * A lock, shared by every process of this user on the machine, held from choosing free ports until
 * the programs listen on them: two test JVMs starting clusters or registries at the same moment
 * would otherwise both find the same port free, and one would talk to the other's etcd.
 */
public final class PortLock {

  private PortLock() {}

  /** Runs {@code work} while holding the lock file under {@code cacheRoot}. */
  public static <T> T holding(Path cacheRoot, Supplier<T> work) {
    Path file = cacheRoot.resolve("locks").resolve("loopback-ports.lock");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
              FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return work.get();
      }
    } catch (IOException e) {
      throw LocalSetupException.failed("could not take the port lock " + file, e);
    }
  }
}
