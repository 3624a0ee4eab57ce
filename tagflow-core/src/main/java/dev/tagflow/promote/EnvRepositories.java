package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The writer's copies of environment repositories, one folder each, and one lane per repository
 * URL: a fair lock, so that writes to one repository happen one at a time, in the order asked.
 * Other processes share the directory ({@code tagflow approvals approve} beside a running {@code
 * tagflow server}): inside the lane a write also holds an exclusive file lock on {@code
 * <copy>.lock} from its fetch to its push, so theirs wait too. The operating system drops the file
 * lock of a process that dies, so a crash never leaves a repository locked.
 */
final class EnvRepositories implements AutoCloseable {

  private final Path directory;
  private final RemoteAccess remotes;
  private final YamlLimits limits;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  EnvRepositories(Path directory, RemoteAccess remotes, YamlLimits limits) {
    this.directory = directory;
    this.remotes = remotes;
    this.limits = limits;
  }

  /** The copy of one repository and the lock that makes its writes one at a time, in order. */
  private static final class Lane {
    final ReentrantLock lock = new ReentrantLock(true);
    EnvRepository repository;
  }

  <T> T inLane(String url, Function<EnvRepository, T> work) {
    Lane lane = lanes.computeIfAbsent(UrlRedaction.redact(url), key -> new Lane());
    lane.lock.lock();
    try {
      Path copy = copyOf(url);
      try (FileChannel file =
              FileChannel.open(
                  copy.resolveSibling(copy.getFileName() + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock held = file.lock()) {
        if (lane.repository == null) {
          lane.repository = new EnvRepository(copy, url, remotes, limits);
        }
        return work.apply(lane.repository);
      } catch (IOException e) {
        throw TagflowException.failed(
            "cannot lock the copy of "
                + UrlRedaction.redact(url)
                + " in "
                + directory
                + " against other Tagflow processes: "
                + e.getMessage(),
            e);
      }
    } finally {
      lane.lock.unlock();
    }
  }

  private Path copyOf(String url) {
    try {
      Files.createDirectories(directory);
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(UrlRedaction.redact(url).getBytes(StandardCharsets.UTF_8));
      return directory.resolve(
          RepoEntry.defaultName(url) + "-" + HexFormat.of().formatHex(hash, 0, 6) + ".git");
    } catch (IOException | NoSuchAlgorithmException e) {
      throw TagflowException.failed("cannot create " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (Lane lane : lanes.values()) {
      lane.lock.lock();
      try {
        if (lane.repository != null) {
          lane.repository.close();
          lane.repository = null;
        }
      } finally {
        lane.lock.unlock();
      }
    }
  }
}
