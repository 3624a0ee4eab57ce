package dev.tagflow.cli;

import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.source.RepoRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The repository list and mirrors of one data directory, opened for one {@code tagflow repo} verb:
 * {@code repositories.yaml} and {@code repos/} under it.
 */
final class RepoContext implements AutoCloseable {

  private final RepoRegistry registry;
  private final RemoteAccess remotes;
  private final RepoCache cache;

  RepoContext(Path dataDir) {
    this.registry = new RepoRegistry(dataDir.resolve("repositories.yaml"));
    // A command's metrics die with it; the server exports its own registry.
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    this.remotes = new RemoteAccess(registry::credentialsFor, Duration.ofSeconds(60), meters);
    this.cache = new RepoCache(dataDir.resolve("repos"), remotes, meters, Clock.systemUTC());
  }

  RepoRegistry registry() {
    return registry;
  }

  RemoteAccess remotes() {
    return remotes;
  }

  RepoCache cache() {
    return cache;
  }

  /** A repository by name or URL, failing with the known names. */
  RepoEntry repo(String nameOrUrl) {
    return registry.get(nameOrUrl);
  }

  @Override
  public void close() {
    cache.close();
    remotes.close();
  }
}
