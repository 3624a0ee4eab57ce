package dev.tagflow.apply;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectRef;
import java.util.Optional;

/**
 * What happened to one object.
 *
 * @param object the object ({@link ObjectRef#subject()} is its {@code Kind/ns/name})
 * @param action what was done
 * @param message why, or what a person should do; empty when the action says it all
 * @param failure for a {@link Action#FAILED} entry whose cause is a cluster call, what kind of
 *     failure it was, so a caller can tell "try again later" from "fix Git"
 */
public record ChangeSetEntry(
    ObjectRef object, Action action, String message, Optional<ClusterFailure> failure) {

  public ChangeSetEntry {
    message = message == null ? "" : message;
    failure = failure == null ? Optional.empty() : failure;
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
