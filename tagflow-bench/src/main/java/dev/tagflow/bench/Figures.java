package dev.tagflow.bench;

import java.util.List;

/** What the bench commands report of their runs: medians, and the heap in use. */
public final class Figures {

  private Figures() {}

  /** The middle value (the upper one of an even count); 0 for no values. */
  public static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }

  /** The heap in use after a GC, in MiB. */
  public static long heapMiB() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
  }
}
