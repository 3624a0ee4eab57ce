package dev.tagflow.apply;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.cluster.ObjectVersion;
import java.util.Optional;

/**
 * What happened to one object.
 *
 * @param object the object ({@link ObjectRef#subject()} is its {@code Kind/ns/name})
 * @param action what was done
 * @param message why, or what a person should do; empty when the action says it all
 * @param failure for a {@link Action#FAILED} entry whose cause is a cluster call, what kind of
 *     failure it was, so a caller can tell "try again later" from "fix Git"
 * @param written the version the API server returned for the object it stored, when this entry
 *     wrote it: health judged from a live view older than this describes the object before the
 *     write (see {@link ObjectVersion})
 */
public record ChangeSetEntry(
    ObjectRef object,
    Action action,
    String message,
    Optional<ClusterFailure> failure,
    Optional<ObjectVersion> written) {

  public ChangeSetEntry {
    message = message == null ? "" : message;
    failure = failure == null ? Optional.empty() : failure;
    written = written == null ? Optional.empty() : written;
  }

  /** An entry that wrote nothing it knows the version of. */
  public ChangeSetEntry(
      ObjectRef object, Action action, String message, Optional<ClusterFailure> failure) {
    this(object, action, message, failure, Optional.empty());
  }

  /** An entry whose failure, if any, is not a cluster call's. */
  public ChangeSetEntry(ObjectRef object, Action action, String message) {
    this(object, action, message, Optional.empty());
  }

  /**
   * The object failed because a cluster call did.
   *
   * @param what what was tried, said of the object ({@code could not read it})
   */
  public static ChangeSetEntry failed(ObjectRef object, String what, ClusterException e) {
    return new ChangeSetEntry(
        object, Action.FAILED, what + ": " + e.serverMessage(), Optional.of(e.failure()));
  }

  /** This entry, saying which version of the object the API server stored. */
  public ChangeSetEntry withWritten(ObjectVersion version) {
    return new ChangeSetEntry(object, action, message, failure, Optional.of(version));
  }

  /** {@code Kind/ns/name}. */
  public String subject() {
    return object.subject();
  }

  @Override
  public String toString() {
    String why = failure.map(f -> f.word() + ": ").orElse("") + message;
    return why.isEmpty()
        ? subject() + " " + action.word()
        : subject() + " " + action.word() + " (" + why + ")";
  }
}
