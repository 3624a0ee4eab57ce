package dev.tagflow.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An image a run's {@code tagflow/image} step pushed: the tag (or branch) and commit it was built
 * from and the digest the registry gave it.
 *
 * @param ref the full ref of the run, {@code refs/tags/v1.2.3}
 * @param image the repository it was pushed to, {@code registry:5000/web}
 * @param digest {@code sha256:…}; the link to the Releases that run it
 * @param tags the tags pushed, the version first
 */
public record BuiltImage(
    String runId,
    String repository,
    String ref,
    String commit,
    String image,
    String digest,
    List<String> tags,
    Instant builtAt) {

  public BuiltImage {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(digest, "digest");
    tags = List.copyOf(tags);
    Objects.requireNonNull(builtAt, "builtAt");
  }

  /** The tag or branch name, without {@code refs/tags/} or {@code refs/heads/}. */
  public String refName() {
    return ref.replaceFirst("^refs/(tags|heads)/", "");
  }
}
