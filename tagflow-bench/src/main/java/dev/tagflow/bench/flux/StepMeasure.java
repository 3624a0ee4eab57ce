package dev.tagflow.bench.flux;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one step of a side-by-side turn: wall time, CPU seconds of the tool's processes,
 * requests the API server dispatched for the tool's account, the tool's RSS at the end.
 */
final class StepMeasure {

  private final ToolAccount account;
  private final Kubectl admin;
  private final List<Long> pids;
  private long started;
  private ProcessUsage usage;
  private long requests;

  StepMeasure(ToolAccount account, Kubectl admin, List<Long> pids) {
    this.account = account;
    this.admin = admin;
    this.pids = pids;
  }

  void begin() {
    requests = account.requestsSent(admin);
    usage = ProcessUsage.of(pids);
    started = System.nanoTime();
  }

  /** Begins at {@code nanoTime} with {@code requests} sent then, and a process of no CPU yet. */
  void beginAt(long nanoTime, long requests) {
    this.requests = requests;
    this.usage = new ProcessUsage(0, 0);
    this.started = nanoTime;
  }

  Map<String, String> end() {
    double seconds = (System.nanoTime() - started) / 1e9;
    ProcessUsage now = ProcessUsage.of(pids);
    long sent = account.requestsSent(admin) - requests;
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("seconds", "%.1f".formatted(seconds));
    // In hundredths, /proc's own unit: at rest both tools spend about half a second in 300 s.
    figures.put("cpu", "%.2f".formatted(now.cpuSince(usage)));
    figures.put("requests", Long.toString(sent));
    figures.put("rss", Long.toString(now.rssMiB()));
    // The machine is shared: a wall time says little without the load it was measured under.
    figures.put("load", "%.1f".formatted(load()));
    return figures;
  }

  /** The machine's load average over the last minute. */
  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
