package dev.tagflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small figures the bench commands print: medians, percentiles, the heap, the machine's load. */
public final class Figures {

  private Figures() {}

  /** The middle value (the upper one of an even count); 0 for no values. */
  public static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }

  /** The nearest-rank percentile ({@code percent} 100 is the largest); 0 for no values. */
  public static double percentile(List<Double> values, int percent) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  /** The heap in use after a GC, in MiB. */
  public static long heapMiB() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
  }

  /** The load averages over 1, 5 and 15 minutes, as {@code uptime} shows them. */
  public static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
