package dev.tagflow.apply;

import dev.tagflow.cluster.ObjectRef;
import java.util.List;

/**
 * Records the objects an apply is about to send before any of them is sent: the inventory's
 * write-ahead, so that a failure or a crash in the middle never leaves an applied object that no
 * inventory names.
 */
@FunctionalInterface
public interface WriteAhead {

  /** Records nothing: an apply outside any application's inventory (a hook, a one-off apply). */
  WriteAhead NONE = objects -> {};

  /**
   * Records the objects (as they will be applied: namespace resolved).
   *
   * @throws dev.tagflow.cluster.ClusterException when they cannot be recorded; then none of them is
   *     sent
   */
  void record(List<ObjectRef> objects);
}
