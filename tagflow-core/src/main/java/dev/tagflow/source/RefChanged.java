package dev.tagflow.source;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A ref of a repository was created, moved or deleted, as seen by one {@link EventSource}.
 *
 * @param repository the repository's URL as configured (the key of the repository everywhere)
 * @param ref the full ref name, e.g. {@code refs/tags/v1.2.3} or {@code refs/heads/main}
 * @param oldCommit the commit the ref pointed at before; empty when the ref was created
 * @param newCommit the commit the ref points at now; empty when the ref was deleted
 * @param origin which kind of source saw it
 * @param seenAt when it was seen
 */
public record RefChanged(
    String repository,
    String ref,
    Optional<String> oldCommit,
    Optional<String> newCommit,
    Origin origin,
    Instant seenAt) {

  /** The kinds of source that report ref changes. */
  public enum Origin {
    POLL,
    GITHUB_WEBHOOK,
    GITLAB_WEBHOOK,
    GIT_SERVER
  }

  /** What happened to the ref. */
  public enum Change {
    CREATED,
    MOVED,
    DELETED
  }

  public RefChanged {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(oldCommit, "oldCommit");
    Objects.requireNonNull(newCommit, "newCommit");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(seenAt, "seenAt");
    if (oldCommit.isEmpty() && newCommit.isEmpty()) {
      throw new IllegalArgumentException("a ref change needs an old or a new commit: " + ref);
    }
  }

  public Change change() {
    if (oldCommit.isEmpty()) {
      return Change.CREATED;
    }
    return newCommit.isEmpty() ? Change.DELETED : Change.MOVED;
  }

  public boolean isTag() {
    return ref.startsWith("refs/tags/");
  }

  /** The short name: {@code v1.2.3} for {@code refs/tags/v1.2.3}, {@code main} for a branch. */
  public String shortName() {
    if (ref.startsWith("refs/tags/")) {
      return ref.substring("refs/tags/".length());
    }
    if (ref.startsWith("refs/heads/")) {
      return ref.substring("refs/heads/".length());
    }
    return ref;
  }
}
