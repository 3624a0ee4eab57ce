package dev.tagflow.store;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The differ's memo: a verdict per key (such as desired hash and live resourceVersion), so that a
 * restart in steady state pays no dry-run for an object that did not change.
 */
public interface DiffMemo {

  /** The stored values of those keys; keys without a value are absent from the answer. */
  Map<String, byte[]> getAll(Collection<String> keys);

  /** Stores the values, replacing those of the same keys, in one transaction. */
  void putAll(Map<String, byte[]> values);

  /**
   * Removes the values last written before {@code writtenBefore}: keys that name a resource version
   * are never read again once the object changes.
   *
   * @return how many were removed
   */
  int removeWrittenBefore(Instant writtenBefore);

  /**
   * Keeps the {@code limit} values written last and removes the others, so that the memo stays
   * bounded however many objects came and went.
   *
   * @return how many were removed
   */
  int keepNewest(int limit);
}
