package dev.tagflow.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keys with the time each is due, earliest first; a key has one due time, the earliest it was
 * offered. Not thread-safe: the {@link WorkQueue} guards it with its lock.
 */
final class DelayedKeys {

  private final Map<String, Instant> dueByKey = new HashMap<>();
  private final TreeMap<Instant, TreeSet<String>> keysByDue = new TreeMap<>();

  /**
   * Makes the key due at {@code due} unless it is due earlier already.
   *
   * @return whether the key's due time changed
   */
  boolean offer(String key, Instant due) {
    Instant current = dueByKey.get(key);
    if (current != null && !current.isAfter(due)) {
      return false;
    }
    remove(key);
    dueByKey.put(key, due);
    keysByDue.computeIfAbsent(due, d -> new TreeSet<>()).add(key);
    return true;
  }

  void remove(String key) {
    Instant due = dueByKey.remove(key);
    if (due != null) {
      TreeSet<String> keys = keysByDue.get(due);
      keys.remove(key);
      if (keys.isEmpty()) {
        keysByDue.remove(due);
      }
    }
  }

  /** Removes and answers the keys due at or before {@code now}, earliest first. */
  List<String> takeDue(Instant now) {
    List<String> due = new ArrayList<>();
    while (!keysByDue.isEmpty() && !keysByDue.firstKey().isAfter(now)) {
      for (String key : keysByDue.pollFirstEntry().getValue()) {
        dueByKey.remove(key);
        due.add(key);
      }
    }
    return due;
  }

  /** When the earliest key is due. */
  Optional<Instant> next() {
    return keysByDue.isEmpty() ? Optional.empty() : Optional.of(keysByDue.firstKey());
  }

  Optional<Instant> dueAt(String key) {
    return Optional.ofNullable(dueByKey.get(key));
  }

  int size() {
    return dueByKey.size();
  }
}
