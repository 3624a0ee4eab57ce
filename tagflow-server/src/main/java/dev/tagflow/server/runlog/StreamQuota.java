package dev.tagflow.server.runlog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** How many live streams of one kind each session (or token principal) holds open at once. */
final class StreamQuota {

  private final int perOwner;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  StreamQuota(int perOwner) {
    if (perOwner < 1) {
      throw new IllegalArgumentException("perOwner must be at least 1");
    }
    this.perOwner = perOwner;
  }

  int perOwner() {
    return perOwner;
  }

  /** Takes one of the owner's slots; false when all are taken (nothing is taken then). */
  boolean take(String owner) {
    AtomicInteger count = counts.computeIfAbsent(owner, o -> new AtomicInteger());
    if (count.incrementAndGet() > perOwner) {
      count.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a slot {@link #take} gave. */
  void release(String owner) {
    AtomicInteger count = counts.get(owner);
    if (count != null) {
      count.decrementAndGet();
    }
  }
}
