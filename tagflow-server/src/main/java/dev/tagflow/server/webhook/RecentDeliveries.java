package dev.tagflow.server.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delivery ids seen most recently, so that a redelivered or replayed webhook is ignored;
 * bounded so that a flood of deliveries cannot grow memory.
 */
public final class RecentDeliveries {

  private final Map<String, Boolean> seen;

  public RecentDeliveries(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.seen =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Records {@code deliveryId}; true the first time it is seen, false on a repeat. */
  public synchronized boolean firstSeen(String deliveryId) {
    return seen.putIfAbsent(deliveryId, Boolean.TRUE) == null;
  }
}
