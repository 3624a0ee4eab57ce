package dev.tagflow.source;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Tagflow's mirror of a repository holds, and how the last fetch went.
 *
 * @param repository the repository's URL, without credentials
 * @param mirror the bare mirror on disk
 * @param lastFetched when a fetch last succeeded, if ever
 * @param lastAttempt when a fetch was last tried, if ever
 * @param lastError why the last fetch failed; empty when it succeeded
 * @param refs the mirror's branches and tags (full name → commit), as of the last good fetch
 */
public record RepoStatus(
    String repository,
    Path mirror,
    Optional<Instant> lastFetched,
    Optional<Instant> lastAttempt,
    Optional<String> lastError,
    Map<String, String> refs) {

  public RepoStatus {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(mirror, "mirror");
    Objects.requireNonNull(lastFetched, "lastFetched");
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastError, "lastError");
    refs = Map.copyOf(refs);
  }

  /** Whether the last fetch failed, so what the mirror holds may be out of date. */
  public boolean failing() {
    return lastError.isPresent();
  }
}
