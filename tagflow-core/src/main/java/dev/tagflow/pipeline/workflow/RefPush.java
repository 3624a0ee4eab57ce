package dev.tagflow.pipeline.workflow;

import dev.tagflow.source.RefChanged;
import java.util.Objects;
import java.util.Optional;

/**
 * A branch or tag that was pushed (created or moved): what decides which workflows start.
 *
 * @param name the short name, {@code v1.2.3} or {@code main}
 */
public record RefPush(Kind kind, String name) {

  /** Which kind of ref. */
  public enum Kind {
    BRANCH,
    TAG
  }

  public RefPush {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  public static RefPush tag(String name) {
    return new RefPush(Kind.TAG, name);
  }

  public static RefPush branch(String name) {
    return new RefPush(Kind.BRANCH, name);
  }

  /**
   * The push a ref change stands for; empty for a deleted ref (there is no commit to run) and for
   * refs that are neither a branch nor a tag ({@code refs/pull/…}, {@code refs/notes/…}).
   */
  public static Optional<RefPush> of(RefChanged change) {
    if (change.change() == RefChanged.Change.DELETED) {
      return Optional.empty();
    }
    if (change.ref().startsWith("refs/tags/")) {
      return Optional.of(tag(change.shortName()));
    }
    if (change.ref().startsWith("refs/heads/")) {
      return Optional.of(branch(change.shortName()));
    }
    return Optional.empty();
  }

  /** The full ref: {@code refs/tags/v1.2.3}. */
  public String ref() {
    return (kind == Kind.TAG ? "refs/tags/" : "refs/heads/") + name;
  }
}
