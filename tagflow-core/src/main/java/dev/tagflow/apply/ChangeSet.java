package dev.tagflow.apply;

import dev.tagflow.cluster.ObjectRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one result of applying or deleting: an entry per object, in the order the objects were
 * handled. Events, command output, the inventory and the UI are all built from it.
 */
public record ChangeSet(List<ChangeSetEntry> entries) {

  public ChangeSet {
    entries = List.copyOf(entries);
  }

  /** A change set with no entries. */
  public static ChangeSet empty() {
    return new ChangeSet(List.of());
  }

  /** This change set followed by the other's entries. */
  public ChangeSet plus(ChangeSet other) {
    List<ChangeSetEntry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new ChangeSet(all);
  }

  /** This change set followed by one more entry. */
  public ChangeSet plus(ChangeSetEntry entry) {
    List<ChangeSetEntry> all = new ArrayList<>(entries);
    all.add(entry);
    return new ChangeSet(all);
  }

  /**
   * The same entries without the versions the API server returned for what they wrote: what a
   * stored status keeps (those versions only matter to the sync that wrote them, in memory).
   */
  public ChangeSet withoutWrittenVersions() {
    return new ChangeSet(
        entries.stream()
            .map(e -> new ChangeSetEntry(e.object(), e.action(), e.message(), e.failure()))
            .toList());
  }

  /** The entries with that action. */
  public List<ChangeSetEntry> withAction(Action action) {
    return entries.stream().filter(e -> e.action() == action).toList();
  }

  /** The entry for that object, if it was handled. */
  public Optional<ChangeSetEntry> entryFor(ObjectRef object) {
    return entries.stream().filter(e -> e.object().equals(object)).findFirst();
  }

  /** Whether any object failed. */
  public boolean hasFailures() {
    return entries.stream().anyMatch(e -> e.action() == Action.FAILED);
  }

  /** Whether every object was already as desired. */
  public boolean isNoOp() {
    return entries.stream()
        .allMatch(e -> e.action() == Action.UNCHANGED || e.action() == Action.SKIPPED);
  }

  /** The objects that now exist as applied (created, configured or unchanged). */
  public List<ObjectRef> applied() {
    return entries.stream()
        .filter(
            e ->
                e.action() == Action.CREATED
                    || e.action() == Action.CONFIGURED
                    || e.action() == Action.UNCHANGED)
        .map(ChangeSetEntry::object)
        .toList();
  }

  /** One line per entry, as the command line prints it. */
  @Override
  public String toString() {
    return entries.isEmpty()
        ? "(no objects)"
        : entries.stream().map(ChangeSetEntry::toString).collect(Collectors.joining("\n"));
  }

  /** The number of entries per action, e.g. {@code 2 created, 1 unchanged}. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    for (Action action : Action.values()) {
      int count =
          Collections.frequency(entries.stream().map(ChangeSetEntry::action).toList(), action);
      if (count > 0) {
        parts.add(count + " " + action.word());
      }
    }
    return parts.isEmpty() ? "no objects" : String.join(", ", parts);
  }
}
