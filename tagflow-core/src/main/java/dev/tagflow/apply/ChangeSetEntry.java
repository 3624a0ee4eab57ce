package dev.tagflow.apply;

import dev.tagflow.cluster.ObjectRef;

/**
 * What happened to one object.
 *
 * @param object the object ({@link ObjectRef#subject()} is its {@code Kind/ns/name})
 * @param action what was done
 * @param message why, or what a person should do; empty when the action says it all
 */
public record ChangeSetEntry(ObjectRef object, Action action, String message) {

  public ChangeSetEntry {
    message = message == null ? "" : message;
  }

  /** {@code Kind/ns/name}. */
  public String subject() {
    return object.subject();
  }

  @Override
  public String toString() {
    return message.isEmpty()
        ? subject() + " " + action.word()
        : subject() + " " + action.word() + " (" + message + ")";
  }
}
