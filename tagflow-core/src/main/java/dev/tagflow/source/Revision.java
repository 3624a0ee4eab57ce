package dev.tagflow.source;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@code targetRevision} resolved to: a commit, and where it came from.
 *
 * @param requested the revision as written: {@code main}, {@code v1.2.3}, {@code ^1.2}, a commit
 * @param kind how it was understood
 * @param commit the full id of the commit
 * @param ref the full ref it came from ({@code refs/tags/v1.2.3}); empty for a commit id
 * @param tag the tag's short name when it came from a tag
 * @param version the tag's version when the tag is one (always, for a version range)
 */
public record Revision(
    String requested,
    Kind kind,
    String commit,
    Optional<String> ref,
    Optional<String> tag,
    Optional<SemVer> version) {

  /** How a revision was understood. */
  public enum Kind {
    HEAD,
    BRANCH,
    TAG,
    COMMIT,
    VERSION_RANGE
  }

  public Revision {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(version, "version");
  }

  /** The first 12 characters of the commit, for messages. */
  public String shortCommit() {
    return commit.substring(0, Math.min(12, commit.length()));
  }
}
